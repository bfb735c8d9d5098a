/**
 * Google's clients talking to a local emulator (the BigQuery emulator, fake-gcs-server) need no
 * credentials, but left alone they look for some: with no cloud account around, the auth library
 * probes the metadata server and warns (`MetadataLookupWarning … 403, ENOTFOUND`) on every start.
 * With an emulator endpoint the clients get this empty credential instead: nothing is looked up.
 */

/** An auth client that adds no header (what the emulators expect). */
const NO_CREDENTIALS = {
  getRequestHeaders: () => Promise.resolve(new Headers()),
  universeDomain: "googleapis.com",
};

/** Client options for `endpoint`: the empty credential when it is an emulator's, nothing otherwise. */
export function emulatorAuth<T>(endpoint: string | undefined | null): { authClient?: T } {
  return endpoint ? { authClient: NO_CREDENTIALS as unknown as T } : {};
}
