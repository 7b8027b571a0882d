import { deepEqual, equal, match, ok } from "node:assert/strict";
import { decideColor } from "../../lib/cli/io.ts";
import { createMemoryIo } from "../../lib/cli/io.ts";
import { createLogger } from "../../lib/cli/logger.ts";
import {
  canAnimate,
  colors,
  createProgress,
  displayWidth,
  formatTable,
  printResult,
  stripAnsi,
  symbols,
  truncate,
} from "../../lib/cli/output.ts";
import { clearSecrets, registerSecret } from "../../lib/redact.ts";
import { ANSI } from "./helpers.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("colour decision: flag wins, then NO_COLOR, FORCE_COLOR, TERM=dumb, terminal", () => {
  equal(decideColor({ mode: "always", env: env({ NO_COLOR: "1" }), isTTY: false }), true);
  equal(decideColor({ mode: "never", env: env({ FORCE_COLOR: "1" }), isTTY: true }), false);
  equal(decideColor({ mode: "auto", env: env({ NO_COLOR: "1" }), isTTY: true }), false);
  equal(decideColor({ mode: "auto", env: env({ NO_COLOR: "" }), isTTY: true }), true, "empty NO_COLOR is ignored");
  equal(decideColor({ mode: "auto", env: env({ FORCE_COLOR: "1" }), isTTY: false }), true);
  equal(decideColor({ mode: "auto", env: env({ FORCE_COLOR: "0" }), isTTY: true }), false);
  equal(decideColor({ mode: "auto", env: env({ NO_COLOR: "x", FORCE_COLOR: "1" }), isTTY: true }), false);
  equal(decideColor({ mode: "auto", env: env({ TERM: "dumb" }), isTTY: true }), false);
  equal(decideColor({ mode: "auto", env: env({}), isTTY: true }), true);
  equal(decideColor({ mode: "auto", env: env({}), isTTY: false }), false);
});

Deno.test("colour helpers emit ANSI only when Io.color is on", () => {
  ok(!ANSI.test(colors({ color: false }).red("x")));
  ok(ANSI.test(colors({ color: true }).red("x")));
});

Deno.test("symbols fall back to ASCII on TERM=dumb", () => {
  equal(symbols(createMemoryIo({ env: { TERM: "dumb" } })).ok, "[ok]");
  if (Deno.build.os !== "windows") equal(symbols(createMemoryIo({ env: { TERM: "xterm" } })).ok, "✔");
});

Deno.test("display width ignores ANSI and counts wide characters twice", () => {
  equal(displayWidth("\x1b[31mred\x1b[39m"), 3);
  equal(displayWidth("節點"), 4);
  equal(displayWidth("e\u0301"), 1);
  equal(truncate("abcdefgh", 5), "abcd…");
  equal(truncate("abc", 5), "abc");
});

Deno.test("table: tabwriter layout, upper-case header, width measured without ANSI", () => {
  const c = colors({ color: true });
  const out = formatTable([["master-0", c.green("Ready"), "4.16"], ["worker-long-name", "NotReady", "4.16"]], {
    header: ["name", "status", "version"],
  });
  const plain = stripAnsi(out);
  deepEqual(plain.split("\n"), [
    "NAME               STATUS     VERSION",
    "master-0           Ready      4.16",
    "worker-long-name   NotReady   4.16",
    "",
  ]);
});

Deno.test("printResult: json, yaml and human", () => {
  const io = createMemoryIo();
  printResult(io, "json", { a: 1, b: ["x"] }, () => "human\n");
  printResult(io, "yaml", { a: 1, b: ["x"] }, () => "human\n");
  printResult(io, "human", { a: 1 }, () => "human\n");
  equal(io.stdoutText(), '{\n  "a": 1,\n  "b": [\n    "x"\n  ]\n}\na: 1\nb:\n  - x\nhuman\n');
});

Deno.test("progress never animates off a terminal or at 0 columns: plain lines, no escapes", () => {
  for (const io of [createMemoryIo({ tty: false }), createMemoryIo({ tty: true, columns: 0 })]) {
    equal(canAnimate(io), false);
    const p = createProgress(io);
    p.update("waiting for pools");
    p.update("waiting for pools");
    p.update("2 of 3 nodes updated");
    p.succeed("pools updated");
    p.stop();
    equal(io.stderrText(), "waiting for pools\n2 of 3 nodes updated\n✔ pools updated\n");
  }
});

Deno.test("progress on a terminal redraws in place and its timer stops", () => {
  const io = createMemoryIo({ tty: true, columns: 40 });
  const p = createProgress(io, 5);
  p.update("a very long line that must be cut to fit the terminal width");
  p.fail("node worker-1 did not come back");
  const text = io.stderrText();
  ok(text.startsWith("\r\x1b[2K"));
  ok(text.endsWith("✖ node worker-1 did not come back\n"));
  for (const line of text.split("\r\x1b[2K")) ok(displayWidth(line.split("\n")[0]) < 40);
  p.stop(); // idempotent; the test sanitizer proves no interval is left behind
});

Deno.test("logger: levels and redaction", () => {
  clearSecrets();
  registerSecret("sha256~abcdefghijklmnop");
  const io = createMemoryIo();
  const log = createLogger(6, io, () => new Date(Date.UTC(2026, 10, 23, 14, 5, 6, 7)));
  log.debug(6, "GET /api with Authorization: Bearer sha256~abcdefghijklmnop");
  log.debug(7, "too detailed");
  equal(io.stderrText(), "I1123 14:05:06.007 v6] GET /api with Authorization: Bearer [REDACTED]\n");
  ok(log.enabled(6) && !log.enabled(7));
  match(io.stderrText(), /^I1123/);
  clearSecrets();
});
