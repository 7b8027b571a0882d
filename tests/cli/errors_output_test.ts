import { equal, match, ok } from "node:assert/strict";
import { formatError, reportError } from "../../lib/cli/errors_output.ts";
import { createMemoryIo } from "../../lib/cli/io.ts";
import { BlockedError, ConfigError } from "../../lib/errors.ts";
import { clearSecrets, registerSecret } from "../../lib/redact.ts";

Deno.test("expected errors: message and hint, no stack, their exit code", () => {
  const io = createMemoryIo();
  const code = reportError(new ConfigError("kubeconfig /x: no current context", "Pass --context."), io, 10);
  equal(code, 2);
  equal(io.stderrText(), "error: kubeconfig /x: no current context\n  Pass --context.\n");
  equal(reportError(new BlockedError("pool worker degraded"), createMemoryIo(), 0), 3);
});

Deno.test("unexpected errors: exit 1, stack only at -v ≥ 6", () => {
  const err = new TypeError("boom");
  const quiet = formatError(err, 0);
  match(quiet, /^error: unexpected error: boom\n/);
  ok(!quiet.includes("at "), "no stack at -v 0");
  match(quiet, /-v=6/);
  const loud = formatError(err, 6);
  ok(loud.includes("errors_output_test.ts"), "stack at -v 6");
  equal(reportError("a string", createMemoryIo(), 0), 1);
});

Deno.test("error output is redacted", () => {
  clearSecrets();
  registerSecret("super-secret-token-1234");
  ok(!formatError(new Error("bad token super-secret-token-1234"), 9).includes("super-secret-token-1234"));
  clearSecrets();
});
