import { equal, ok, throws } from "node:assert/strict";
import { formatDuration, parseGoDuration, parseTimeout } from "../../lib/duration.ts";
import { collect, parseBatch, parseCidr, parseMtu, parseVerbosity } from "../../lib/cli/flag_values.ts";
import { cidrFamily } from "../../lib/verify/planned_values.ts";

Deno.test("Go durations", () => {
  equal(parseGoDuration("1h30m"), 5_400_000);
  equal(parseGoDuration("2.5s"), 2500);
  equal(parseGoDuration("300ms"), 300);
  equal(parseGoDuration("1m0.5s"), 60_500);
  equal(parseGoDuration("0"), 0);
  equal(parseGoDuration("-5s"), -5000);
  equal(parseGoDuration("1500us"), 1.5);
  throws(() => parseGoDuration("5"), /missing unit/);
  throws(() => parseGoDuration("5d"), /invalid duration/);
  throws(() => parseGoDuration(""), /invalid duration/);
  throws(() => parseGoDuration("1h 30m"), /invalid duration/);
});

Deno.test("kubectl timeouts: bare integers are seconds, negatives refused", () => {
  equal(parseTimeout("0"), 0);
  equal(parseTimeout("45"), 45_000);
  equal(parseTimeout("2m"), 120_000);
  throws(() => parseTimeout("-1s"), /negative/);
});

Deno.test("formatDuration", () => {
  equal(formatDuration(5_400_000), "1h30m");
  equal(formatDuration(0), "0s");
  equal(formatDuration(61_250), "1m1s250ms");
});

Deno.test("CIDR syntax and family", () => {
  equal(cidrFamily("10.128.0.0/14"), 4);
  equal(cidrFamily("fd98::/64"), 6);
  equal(cidrFamily("::ffff:10.0.0.1/128"), 6);
  equal(cidrFamily("10.128.0.0"), undefined);
  equal(cidrFamily("10.128.0.0/33"), undefined);
  equal(cidrFamily("256.1.1.1/8"), undefined);
  equal(cidrFamily("fd98::zz/64"), undefined);
  equal(cidrFamily("fd98::/129"), undefined);
  equal(parseCidr("v4")(" 100.66.0.0/16 "), "100.66.0.0/16");
  throws(() => parseCidr("v4")("fd98::/64"), /IPv4 CIDR/);
  throws(() => parseCidr("v6")("10.0.0.0/8"), /IPv6 CIDR/);
});

Deno.test("integers, batches, verbosity, repeatable values", () => {
  equal(parseMtu("1400"), 1400);
  throws(() => parseMtu("1400.5"));
  throws(() => parseMtu("100"));
  throws(() => parseMtu("9217"), /from 576 to 9216/);
  equal(parseBatch("all"), "all");
  equal(parseBatch("3"), 3);
  throws(() => parseBatch("-1"));
  equal(parseVerbosity("=6"), 6);
  throws(() => parseVerbosity("11"));
  const acc = collect("b,c", collect("a"));
  ok(acc.length === 3 && acc.join() === "a,b,c");
});
