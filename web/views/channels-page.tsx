/**
 * `/channels`: a person's own channels (kind, name, the address without its secrets: what they
 * gave is write-only once saved), a test button per channel that shows the channel's own answer,
 * and the form to add one.
 */
import { CHANNEL_KINDS, type ChannelRecord } from "../../shared/accounts/channel-record.ts";
import { ButtonForm, Csrf, ErrorSummary, Field, Select } from "./forms.tsx";
import { Layout, type PageContext } from "./layout.tsx";

const KIND_TEXT: Record<string, string> = {
  ntfy: "ntfy: the address of a topic (https://ntfy.sh/your-topic)",
  webhook: "webhook: an https address that takes a POST of JSON",
  discord: "Discord: a channel's webhook address",
  telegram: "Telegram: a chat id (through this ofertas's bot)",
  email: "e-mail: an address (through this ofertas's mail relay)",
};

export interface ChannelsPageProps {
  ctx: PageContext;
  csrf: string;
  channels: ChannelRecord[];
  /** Why people cannot add channels here, when they cannot. */
  off: string | null;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  /** The answer of a test just made: which channel, whether it took the message, its words. */
  tested?: { id: string; ok: boolean; detail: string };
}

export function ChannelsPage(p: ChannelsPageProps) {
  const v = p.values ?? {};
  return (
    <Layout title="Your channels" ctx={p.ctx}>
      <h1>Your channels</h1>
      <p>Where your watches' alerts reach you. Only you see them; what you gave is never shown again once saved.</p>
      {p.tested && (
        <p role="status" class={p.tested.ok ? "ok" : "failed"}>
          Test of {p.channels.find((ch) => ch.id === p.tested!.id)?.name ?? "the channel"}:{" "}
          {p.tested.ok ? "sent" : "failed"}: {p.tested.detail}
        </p>
      )}
      {p.channels.length === 0 ? <p class="empty">No channels yet: your alerts go to your private feed.</p> : (
        <table>
          <caption>Your channels</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Address</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {p.channels.map((ch) => (
              <tr data-channel={ch.id}>
                <th scope="row">{ch.name}</th>
                <td>{ch.kind}</td>
                <td>
                  <code>{ch.shown}</code>
                </td>
                <td>
                  <ButtonForm action={`/channels/${ch.id}/test`} csrf={p.csrf} label={`Test ${ch.name}`} />
                  <ButtonForm action={`/channels/${ch.id}/delete`} csrf={p.csrf} label={`Delete ${ch.name}`} danger />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Add a channel</h2>
      {p.off ? <p>{p.off}</p> : (
        <>
          <ErrorSummary errors={p.errors ?? {}} />
          <form method="post" action="/channels" class="stacked">
            <Csrf token={p.csrf} />
            <Field name="name" label="Name" value={v.name} error={p.errors?.name} required hint="Like: phone" />
            <Select
              name="kind"
              label="Kind"
              value={v.kind ?? "ntfy"}
              choices={CHANNEL_KINDS.map((k) => [k, KIND_TEXT[k] ?? k])}
            />
            <Field name="value" label="Address" value={v.value} error={p.errors?.value} required size={60} />
            <Field
              name="secret"
              label="Signing secret (webhooks only; optional)"
              type="password"
              autocomplete="off"
              hint="Requests are then signed as Standard Webhooks"
            />
            <button type="submit">Add the channel</button>
          </form>
        </>
      )}
    </Layout>
  );
}
