/**
 * The channels the deliverer sends on: the operator's (OFERTAS_ALERT_CHANNELS, by name) and every
 * person's (the accounts topic's channel records, by their id), kept in one live map as records
 * arrive: a person's secret is opened with OFERTAS_SECRETS_KEY when its record is read, and a
 * record that does not open (another key, altered) is left out with a warning that names only its
 * id. Names cannot collide: a person's channel id is `c-` and 12 letters (account-ids.ts).
 */
import type { ChannelRecord } from "../shared/accounts/channel-record.ts";
import type { SecretBox } from "../shared/accounts/secret-box.ts";
import { log } from "../shared/log.ts";
import type { Channel } from "./channels/channel.ts";
import type { ChannelOptions } from "./channels/channels.ts";
import { channelOfRecord, type OperatorRelays } from "./channels/person-channel.ts";

export class ChannelDirectory {
  readonly channels: Map<string, Channel>;
  private readonly people = new Map<string, string>(); // channel id → owner
  private pending: Promise<void> = Promise.resolve();

  constructor(
    operator: ReadonlyMap<string, Channel>,
    private readonly box: SecretBox | null,
    private readonly relays: OperatorRelays,
    private readonly options: ChannelOptions,
  ) {
    this.channels = new Map(operator);
  }

  /** A channel record read (null: deleted). Records are opened in log order, one after another. */
  apply(id: string, record: ChannelRecord | null): void {
    this.pending = this.pending.then(async () => {
      this.channels.get(id)?.close?.();
      this.channels.delete(id);
      this.people.delete(id);
      if (!record) return;
      if (!this.box) {
        log("warn", "person_channel_skipped", { channel: id, reason: "no OFERTAS_SECRETS_KEY" });
        return;
      }
      try {
        this.channels.set(id, await channelOfRecord(this.box, record, this.relays, this.options));
        this.people.set(id, record.owner);
      } catch (error) {
        log("warn", "person_channel_skipped", { channel: id, reason: (error as Error).name });
      }
    });
  }

  /** Resolves once every record read so far is in the map. */
  settled(): Promise<void> {
    return this.pending;
  }

  /** A person's channels that can be sent on. */
  channelsOf(owner: string): string[] {
    return [...this.people].filter(([, o]) => o === owner).map(([id]) => id);
  }
}
