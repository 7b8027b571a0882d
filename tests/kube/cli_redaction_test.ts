/**
 * Issue 2, "Must show": no credential in any output of a real run with -v. Runs main.ts against the
 * simulated cluster at -v 9 (stdout + stderr captured) with the token from the kubeconfig, from --token,
 * and a wrong --token (the 401 path), and greps everything for the tokens.
 */
import { assert, assertEquals } from "./_assert.ts";
import { startSim } from "../../sim/sim.ts";

const root = new URL("../../", import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "main.ts", ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test("main.ts preflight -v 9 never prints the token (kubeconfig, --token, rejected --token)", async () => {
  const sim = await startSim({ scenario: "sdn-small", controllers: false });
  try {
    const token = sim.users.find((u) => u.token)?.token;
    assert(token && token.length > 20, "the simulator issued a token");
    const caFile = `${root}sim/certs/ca.crt`;
    const fromFile = await run(["preflight", "-v", "9", "--kubeconfig", sim.kubeconfigPath]);
    const fromFlag = await run(
      ["preflight", "-v", "9", "--server", sim.url, "--token", token, "--certificate-authority", caFile, "-o", "json"],
    );
    const wrong = "sha256~wrongTokenThatTheServerRejects0123456789";
    const rejected = await run(
      ["preflight", "-v", "9", "--server", sim.url, "--token", wrong, "--certificate-authority", caFile],
    );
    for (const [name, r] of Object.entries({ fromFile, fromFlag, rejected })) {
      assert(r.text.length > 200, `${name}: the run printed something (${r.text.length} chars)`);
      assert(!r.text.includes(token), `${name}: the token leaked`);
      assert(!r.text.includes(wrong), `${name}: the rejected token leaked`);
      assert(!r.text.includes(token.slice(7, 30)), `${name}: part of the token leaked`);
    }
    assert(fromFile.text.includes("GET "), "-v 9 logs the requests");
    assertEquals(rejected.code === 0, false);
    assert(rejected.text.includes("401"), "the rejected run explains the 401");
  } finally {
    await sim.stop();
  }
});
