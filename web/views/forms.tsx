/**
 * Form parts every page uses, so that each form works with the keyboard and a screen reader: a
 * visible label tied to its field, the field's error right after it (tied by aria-describedby,
 * and aria-invalid set), an error summary at the top that links to each wrong field, and the
 * session's CSRF token (web/accounts/session.ts). No script: plain HTML forms.
 */
import type { Child } from "hono/jsx";

export function Csrf({ token }: { token: string | null | undefined }) {
  return token ? <input type="hidden" name="_csrf" value={token} /> : null;
}

export interface FieldProps {
  name: string;
  label: string;
  value?: string;
  error?: string;
  hint?: string;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  inputmode?: "decimal" | "numeric" | "email" | "url" | "text";
  size?: number;
}

export function Field(p: FieldProps) {
  const id = `f-${p.name}`;
  const described = [p.hint ? `${id}-hint` : "", p.error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <p class={`field${p.error ? " has-error" : ""}`}>
      <label for={id}>{p.label}</label>
      {p.hint && <span class="hint" id={`${id}-hint`}>{p.hint}</span>}
      <input
        id={id}
        name={p.name}
        type={p.type ?? "text"}
        value={p.value ?? ""}
        autocomplete={p.autocomplete}
        required={p.required}
        inputmode={p.inputmode}
        size={p.size}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={described || undefined}
      />
      {p.error && <span class="error" id={`${id}-error`}>{p.error}</span>}
    </p>
  );
}

export function Select(
  p: { name: string; label: string; value: string; choices: ReadonlyArray<[string, string]>; error?: string },
) {
  const id = `f-${p.name}`;
  return (
    <p class={`field${p.error ? " has-error" : ""}`}>
      <label for={id}>{p.label}</label>
      <select id={id} name={p.name} aria-describedby={p.error ? `${id}-error` : undefined}>
        {p.choices.map(([value, text]) => <option value={value} selected={value === p.value}>{text}</option>)}
      </select>
      {p.error && <span class="error" id={`${id}-error`}>{p.error}</span>}
    </p>
  );
}

export function Check(p: { name: string; label: string; checked: boolean; value?: string; id?: string }) {
  const id = p.id ?? `f-${p.name}`;
  return (
    <p class="field check">
      <input type="checkbox" id={id} name={p.name} value={p.value ?? "on"} checked={p.checked} />{" "}
      <label for={id}>{p.label}</label>
    </p>
  );
}

/** The errors at the top of a form, each a link to its field (focus moves there). */
export function ErrorSummary({ errors }: { errors: Record<string, string> }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">Please fix {entries.length === 1 ? "this" : "these"}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#f-${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A one-button form (sign out, pause, delete, test, undo): POST with the CSRF token. */
export function ButtonForm(
  p: { action: string; csrf: string | null | undefined; label: string; children?: Child; danger?: boolean },
) {
  return (
    <form method="post" action={p.action} class="inline">
      <Csrf token={p.csrf} />
      {p.children}
      <button type="submit" class={p.danger ? "danger" : undefined}>{p.label}</button>
    </form>
  );
}
