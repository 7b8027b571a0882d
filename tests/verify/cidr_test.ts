import assert from "node:assert/strict";
import {
  candidateBlocks,
  contains,
  effectiveInternalSubnets,
  findFree,
  formatIp,
  mustCidr,
  overlaps,
  parseCidr,
  parseIp,
  subnets,
} from "../../lib/verify/cidr.ts";

Deno.test("parseCidr: IPv4 canonicalises host bits and rejects junk", () => {
  assert.equal(parseCidr("10.128.0.0/14")?.text, "10.128.0.0/14");
  assert.equal(parseCidr("10.129.1.7/14")?.text, "10.128.0.0/14");
  assert.equal(parseCidr("10.0.0.5")?.text, "10.0.0.5/32");
  assert.equal(parseCidr("0.0.0.0/0")?.prefix, 0);
  for (const bad of ["10.0.0.256/8", "10.0.0/8", "10.0.0.0/33", "10.0.0.0/x", "a.b.c.d/8", "", "1.2.3.4/8/9"]) {
    assert.equal(parseCidr(bad), undefined, bad);
  }
});

Deno.test("parseCidr: IPv6 forms, compression and limits", () => {
  assert.equal(parseCidr("fd98::/64")?.text, "fd98::/64");
  assert.equal(parseCidr("fd98:0:0:0:0:0:0:1/48")?.text, "fd98::/48");
  assert.equal(parseCidr("2001:db8::1")?.text, "2001:db8::1/128");
  assert.equal(parseCidr("::/0")?.text, "::/0");
  assert.equal(parseCidr("::ffff:10.0.0.1/128")?.text, "::ffff:a00:1/128");
  assert.equal(parseCidr("fd69::/125")?.prefix, 125);
  for (const bad of ["fd98::/129", "fd98:::1/64", "1::2::3/64", "12345::/16", "1:2:3:4:5:6:7/64", "g::/8"]) {
    assert.equal(parseCidr(bad), undefined, bad);
  }
});

Deno.test("formatIp follows RFC 5952 zero compression", () => {
  assert.equal(formatIp(6, parseIp("2001:db8:0:0:1:0:0:1")!.value), "2001:db8::1:0:0:1");
  assert.equal(formatIp(6, parseIp("0:0:0:0:0:0:0:0")!.value), "::");
  assert.equal(formatIp(6, parseIp("1:0:2:3:4:5:6:7")!.value), "1:0:2:3:4:5:6:7");
  assert.equal(formatIp(4, parseIp("192.168.1.2")!.value), "192.168.1.2");
});

Deno.test("contains and overlaps: nesting, edges, and families never mix", () => {
  const join = mustCidr("100.64.0.0/16");
  assert.ok(contains(join, "100.64.255.255"));
  assert.ok(!contains(join, "100.65.0.0"));
  assert.ok(contains(join, mustCidr("100.64.8.0/24")));
  assert.ok(!contains(mustCidr("100.64.8.0/24"), join));
  assert.ok(overlaps(join, mustCidr("100.0.0.0/8")));
  assert.ok(overlaps(mustCidr("100.0.0.0/8"), join));
  assert.ok(!overlaps(join, mustCidr("100.65.0.0/16")));
  assert.ok(overlaps(mustCidr("100.63.255.255/32"), mustCidr("100.63.0.0/16")));
  assert.ok(!overlaps(mustCidr("fd98::/64"), join));
  assert.ok(overlaps(mustCidr("fd98::/48"), mustCidr("fd98::/64")));
  assert.ok(!overlaps(mustCidr("fd98:0:0:1::/64"), mustCidr("fd98::/64")));
  assert.ok(overlaps(mustCidr("0.0.0.0/0"), mustCidr("1.2.3.4/32")));
});

Deno.test("subnets enumerates in order and respects the limit", () => {
  const list = [...subnets(mustCidr("10.0.0.0/22"), 24)].map((c) => c.text);
  assert.deepEqual(list, ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]);
  assert.equal([...subnets(mustCidr("fd00::/8"), 64, 3)].length, 3);
  assert.equal([...subnets(mustCidr("10.0.0.0/24"), 16)].length, 0);
});

Deno.test("findFree skips used ranges and the other internal subnets", () => {
  const used = ["100.64.0.0/16", "100.65.0.0/16", "100.88.0.0/16"].map(mustCidr);
  assert.equal(findFree([mustCidr("100.64.0.0/10")], 16, used)[0].text, "100.66.0.0/16");
  // A big used block is jumped over, not walked.
  const big = [mustCidr("100.64.0.0/11")];
  assert.equal(findFree([mustCidr("100.64.0.0/10")], 16, big)[0].text, "100.96.0.0/16");
  // Everything used in the first block: falls through to the next.
  assert.equal(
    findFree([mustCidr("100.64.0.0/10"), mustCidr("172.16.0.0/12")], 16, [mustCidr("100.64.0.0/10")])[0].text,
    "172.16.0.0/16",
  );
  assert.deepEqual(findFree([mustCidr("10.0.0.0/30")], 31, [mustCidr("10.0.0.0/29")]), []);
  assert.equal(findFree([mustCidr("fd98::/48")], 64, [mustCidr("fd98::/64")])[0].text, "fd98:0:0:1::/64");
  assert.equal(findFree([mustCidr("100.64.0.0/10")], 16, [], 3).length, 3);
});

Deno.test("effective internal subnets: defaults per version", () => {
  const s416 = effectiveInternalSubnets(undefined, 16).map((s) => `${s.kind}/${s.family} ${s.cidr.text}`);
  assert.deepEqual(s416, [
    "join/4 100.64.0.0/16",
    "join/6 fd98::/64",
    "transit/4 100.88.0.0/16",
    "transit/6 fd97::/64",
    "masquerade/4 169.254.169.0/29",
    "masquerade/6 fd69::/125",
  ]);
  const s413 = effectiveInternalSubnets(undefined, 13).map((s) => s.kind);
  assert.ok(!s413.includes("transit"), "no transit switch before interconnect (4.14)");
  const s417 = effectiveInternalSubnets(undefined, 17).filter((s) => s.kind === "masquerade").map((s) => s.cidr.text);
  assert.deepEqual(s417, ["169.254.0.0/17", "fd69::/112"]);
});

Deno.test("effective internal subnets: ipv4.internalJoinSubnet wins over v4InternalSubnet; flags win over both", () => {
  const ovn = {
    v4InternalSubnet: "100.70.0.0/16",
    ipv4: { internalJoinSubnet: "100.71.0.0/16", internalTransitSwitchSubnet: "100.72.0.0/16" },
    gatewayConfig: { ipv4: { internalMasqueradeSubnet: "169.254.100.0/29" } },
  };
  const byKind = (l: ReturnType<typeof effectiveInternalSubnets>) =>
    Object.fromEntries(l.filter((s) => s.family === 4).map((s) => [s.kind, `${s.cidr.text} ${s.source}`]));
  assert.deepEqual(byKind(effectiveInternalSubnets(ovn, 16)), {
    join: "100.71.0.0/16 ovnKubernetesConfig.ipv4.internalJoinSubnet",
    transit: "100.72.0.0/16 ovnKubernetesConfig.ipv4.internalTransitSwitchSubnet",
    masquerade: "169.254.100.0/29 ovnKubernetesConfig.gatewayConfig.ipv4.internalMasqueradeSubnet",
  });
  assert.equal(
    byKind(effectiveInternalSubnets({ v4InternalSubnet: "100.70.0.0/16" }, 16)).join,
    "100.70.0.0/16 ovnKubernetesConfig.v4InternalSubnet",
  );
  const flagged = byKind(
    effectiveInternalSubnets(ovn, 16, { joinSubnet: "100.99.0.0/16", transitSubnet: "100.98.0.0/16" }),
  );
  assert.equal(flagged.join, "100.99.0.0/16 --join-subnet");
  assert.equal(flagged.transit, "100.98.0.0/16 --transit-subnet");
  // A value of the wrong family is ignored, not used.
  assert.equal(
    byKind(effectiveInternalSubnets({ v4InternalSubnet: "fd00::/64" }, 16)).join.split(" ")[0],
    "100.64.0.0/16",
  );
});

Deno.test("candidate blocks stay private", () => {
  assert.equal(candidateBlocks("join", 4)[0].text, "100.64.0.0/10");
  assert.equal(candidateBlocks("masquerade", 4)[0].text, "169.254.0.0/16");
  assert.equal(candidateBlocks("transit", 6)[0].text, "fd98::/48");
});
