/** The end of a test run says why each test failed, in a few lines, without code frames or stacks. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FailureExcerpts } from "./run-step.ts";

const BUN_OUTPUT = `batch/outage.int.test.ts:
(pass) an earlier test [12.00ms]
41 |     assert.deepEqual(errors, []);
             ^
AssertionError: [{"event":"kafka_consumer_crash","message":"Group authorization failed"}]
      at /repo/batch/outage.int.test.ts:41:12
      at run (node:async_hooks:144:29)
(fail) consumer start with a broker down [19087.34ms]
(pass) a later test [3.00ms]
(fail) one more [1.00ms]
`;

test("failure excerpts: each failed test with the lines since the previous result, minus frames and stacks", () => {
  const why = new FailureExcerpts();
  // chunks cut anywhere, as pipes deliver them
  for (let i = 0; i < BUN_OUTPUT.length; i += 7) why.take(BUN_OUTPUT.slice(i, i + 7));
  assert.deepEqual(why.failures, [
    [
      "(fail) consumer start with a broker down [19087.34ms]",
      '    AssertionError: [{"event":"kafka_consumer_crash","message":"Group authorization failed"}]',
    ],
    ["(fail) one more [1.00ms]"],
  ]);
});

test("failure excerpts: bounded in lines per failure and in failures", () => {
  const why = new FailureExcerpts(2, 3);
  for (let i = 0; i < 5; i++) why.take(`one\ntwo\nthree\n(fail) test ${i}\n`);
  assert.equal(why.failures.length, 3);
  assert.deepEqual(why.failures[0], ["(fail) test 0", "    one", "    two"]);
});
