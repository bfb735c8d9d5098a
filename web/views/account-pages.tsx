/**
 * The pages of accounts: sign in, choosing a password from an invitation (or the first admin's
 * setup link), one's account (password, sign out everywhere, the private feed), and the admins'
 * list of people with the invitation form. A new token (an invitation, a feed) is shown once,
 * on the page that made it.
 */
import type { Account } from "../../shared/accounts/account-record.ts";
import { MIN_PASSWORD_LENGTH } from "../../shared/accounts/password-hash.ts";
import { ButtonForm, Csrf, ErrorSummary, Field, Select } from "./forms.tsx";
import { Layout, type PageContext } from "./layout.tsx";

type Errors = Record<string, string>;

export function SignInPage(p: { ctx: PageContext; next: string; login?: string; errors?: Errors; notice?: string }) {
  return (
    <Layout title="Sign in" ctx={p.ctx}>
      <h1>Sign in</h1>
      {p.notice && <p role="status">{p.notice}</p>}
      <ErrorSummary errors={p.errors ?? {}} />
      <form method="post" action="/login" class="stacked">
        <input type="hidden" name="next" value={p.next} />
        <Field name="login" label="Login (your e-mail address)" value={p.login} autocomplete="username" required />
        <Field
          name="password"
          label="Password"
          type="password"
          autocomplete="current-password"
          required
          error={p.errors?.password}
        />
        <button type="submit">Sign in</button>
      </form>
      <p>No account? Ask whoever runs this ofertas for an invitation.</p>
    </Layout>
  );
}

export function ChoosePasswordPage(
  p: { ctx: PageContext; token: string; login: string; role: string; errors?: Errors; action: string },
) {
  return (
    <Layout title="Choose a password" ctx={p.ctx}>
      <h1>Welcome, {p.login}</h1>
      <p>
        Choose a password for your {p.role === "admin" ? "administrator's " : ""}account (at least {MIN_PASSWORD_LENGTH}
        {" "}
        characters; a sentence you remember is best).
      </p>
      <ErrorSummary errors={p.errors ?? {}} />
      <form method="post" action={p.action} class="stacked">
        <input type="hidden" name="token" value={p.token} />
        <input type="text" name="username" value={p.login} autocomplete="username" hidden readonly />
        <Field
          name="password"
          label="Password"
          type="password"
          autocomplete="new-password"
          required
          error={p.errors?.password}
        />
        <button type="submit">Create my account</button>
      </form>
    </Layout>
  );
}

export function AccountPage(
  p: {
    ctx: PageContext;
    account: Account;
    csrf: string;
    errors?: Errors;
    notice?: string;
    /** A feed URL just made (shown once). */
    feedUrl?: string;
  },
) {
  return (
    <Layout title="Your account" ctx={p.ctx}>
      <h1>Your account</h1>
      <p>
        Signed in as <strong>{p.account.login}</strong> ({p.account.role}).
      </p>
      {p.notice && <p role="status">{p.notice}</p>}
      <h2>Change your password</h2>
      <ErrorSummary errors={p.errors ?? {}} />
      <form method="post" action="/account/password" class="stacked">
        <Csrf token={p.csrf} />
        <input type="text" name="username" value={p.account.login} autocomplete="username" hidden readonly />
        <Field
          name="current"
          label="Current password"
          type="password"
          autocomplete="current-password"
          required
          error={p.errors?.current}
        />
        <Field
          name="password"
          label="New password"
          type="password"
          autocomplete="new-password"
          required
          error={p.errors?.password}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. Every other sign-in ends.`}
        />
        <button type="submit">Change password</button>
      </form>
      <h2>Sign out everywhere</h2>
      <p>Ends every session of this account, on every device, this one included.</p>
      <ButtonForm action="/logout-everywhere" csrf={p.csrf} label="Sign out everywhere" danger />
      <h2>Your private feed</h2>
      <p>
        An Atom feed of your watches' alerts, for a feed reader. Its address is a password: whoever has it reads your
        alerts. Making a new one stops the old one.
      </p>
      {p.feedUrl && (
        <p role="status">
          Your feed (shown once; copy it now): <code class="secret">{p.feedUrl}</code>
        </p>
      )}
      <p>{p.account.feed_token_hash ? "You have a feed." : "You have no feed."}</p>
      <ButtonForm
        action="/account/feed"
        csrf={p.csrf}
        label={p.account.feed_token_hash ? "Make a new feed address" : "Make my feed"}
      />
      {p.account.feed_token_hash && (
        <ButtonForm action="/account/feed/revoke" csrf={p.csrf} label="Stop my feed" danger />
      )}
    </Layout>
  );
}

export function PeoplePage(
  p: { ctx: PageContext; csrf: string; people: Account[]; errors?: Errors; login?: string; inviteUrl?: string },
) {
  return (
    <Layout title="People" ctx={p.ctx}>
      <h1>People</h1>
      <table>
        <caption>Accounts of this ofertas</caption>
        <thead>
          <tr>
            <th scope="col">Login</th>
            <th scope="col">Role</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {p.people.map((a) => (
            <tr>
              <th scope="row">{a.login}</th>
              <td>{a.role}</td>
              <td>{a.created_at.slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Invite someone</h2>
      {p.inviteUrl && (
        <p role="status">
          Send this link to them (it works once, for 7 days): <code class="secret">{p.inviteUrl}</code>
        </p>
      )}
      <ErrorSummary errors={p.errors ?? {}} />
      <form method="post" action="/people/invite" class="stacked">
        <Csrf token={p.csrf} />
        <Field name="login" label="Their login (e-mail address)" value={p.login} required error={p.errors?.login} />
        <Select
          name="role"
          label="Role"
          value="member"
          choices={[["member", "member: their own watches"], ["admin", "admin: everything"]]}
        />
        <button type="submit">Make an invitation link</button>
      </form>
    </Layout>
  );
}
