import { test } from "node:test";
import assert from "node:assert/strict";
import { redact, scrubSecrets, secretsOf } from "./redact.ts";

/** Real channel URL shapes, what the start line may show, and the secrets that must not appear. */
const TABLE: Array<[string, string, string[]]> = [
  [
    "jsons://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/Xq9secretPathToken0000?digest=daily",
    "jsons://hooks.slack.com/***?digest=daily",
    ["T0ABCDEF1", "B0ABCDEF2", "Xq9secretPathToken0000"],
  ],
  [
    "jsons://hooks.zapier.com/hooks/catch/1234567/abcdefg/",
    "jsons://hooks.zapier.com/***",
    ["1234567", "abcdefg"],
  ],
  [
    "jsons://h.example/x?secret=s3cr3t&sig=aaaa&signature=bbbb&auth=cccc&api_key=dddd&passwd=eeee&other=ffff&digest=hourly",
    "jsons://h.example/***?secret=***&sig=***&signature=***&auth=***&api_key=***&passwd=***&other=***&digest=hourly",
    ["s3cr3t", "aaaa", "bbbb", "cccc", "dddd", "eeee", "ffff"],
  ],
  ["json://127.0.0.1:8080/?token=abcd", "json://127.0.0.1:8080?token=***", ["abcd"]],
  [
    "ntfys://ntfy.sh/my-private-topic-91?token=tk_0123456789&priority=high",
    "ntfys://ntfy.sh/***?token=***&priority=high",
    ["my-private-topic-91", "tk_0123456789"],
  ],
  ["ntfys://me:pa55word@ntfy.example.com/alerts", "ntfys://***:***@ntfy.example.com/***", ["pa55word", "alerts"]],
  ["discord://123456789012345678/AbC-dEf_ghIJklmNOPqrs", "discord://***", [
    "123456789012345678",
    "AbC-dEf_ghIJklmNOPqrs",
  ]],
  // the bot token as ${TG_TOKEN} leaves it (encoded) and as written by hand (user:password)
  ["tgram://123456789%3AAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/-1001234567", "tgram://***", [
    "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
    "-1001234567",
  ]],
  ["tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw@-1001234567", "tgram://***", [
    "123456789",
    "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
  ]],
  [
    "mailtos://me%40example.com:s3cret-pass@smtp.example.com:465?to=deals@example.com,b@example.com&from=o@example.com",
    "mailtos://***:***@smtp.example.com:465?to=deals@example.com,b@example.com&from=o@example.com",
    ["me@example.com", "s3cret-pass"],
  ],
  ["mailto://relay.local?to=a@example.com&password=hunter22", "mailto://relay.local?to=a@example.com&password=***", [
    "hunter22",
  ]],
];

test("redact: by structure, for every channel's URL shape", () => {
  for (const [raw, shown, secrets] of TABLE) {
    const url = new URL(raw);
    assert.equal(redact(url), shown, raw);
    for (const secret of secrets) {
      assert.ok(!redact(url).includes(secret), `${secret} in ${redact(url)}`);
      assert.ok(secretsOf(url).includes(secret), `${secret} is known as a secret of ${raw}`);
    }
  }
});

test("scrubSecrets: a reply or an error that quotes a secret back shows *** instead", () => {
  const url = new URL("jsons://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/Xq9secret+Token/0000?digest=daily");
  const reply = "404 Not Found: no hook at /services/T0ABCDEF1/B0ABCDEF2/Xq9secret%2BToken/0000 (Xq9secret+Token)";
  const scrubbed = scrubSecrets(reply, secretsOf(url));
  // every path segment is a secret, the harmless ones too: structure, not guesses
  assert.equal(scrubbed, "404 Not Found: no hook at /***/***/***/***/*** (***)");
  assert.ok(!secretsOf(url).includes("daily"), "declared parameters are not secrets");
});
