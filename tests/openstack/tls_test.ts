/**
 * TLS settings of a cloud over real HTTPS (the simulator's test PKI in sim/certs): `cacert` trusted through
 * Deno.createHttpClient, an untrusted certificate refused with a configuration error, `verify: false` through
 * node:https, and a client certificate (`cert`/`key`, or one file holding both) presented to a server that
 * requires it.
 */
import assert from "node:assert/strict";
import https from "node:https";
import { ExitCode } from "../../lib/exit_codes.ts";
import { createOpenStackClient } from "../../lib/openstack/client.ts";
import { normalizeCloud } from "../../lib/openstack/cloud_config.ts";
import { OpenStackError } from "../../lib/openstack/errors.ts";
import { startFakeCloud } from "./fake_cloud.ts";

const CERTS = new URL("../../sim/certs/", import.meta.url).pathname;
const read = (f: string) => Deno.readTextFileSync(CERTS + f);

const cloud = (authUrl: string, extra: Record<string, unknown> = {}) =>
  normalizeCloud("tlscloud", {
    auth: { auth_url: authUrl, user_id: "u1", password: "fake-password-1", project_id: "p1" },
    ...extra,
  }, { description: "test clouds.yaml" });

Deno.test("cacert is trusted; without it the certificate is refused with exit 2 and the fix", async () => {
  const fake = await startFakeCloud([], { tls: { cert: read("server.crt"), key: read("server.key") } });
  try {
    const trusted = await createOpenStackClient(cloud(fake.authUrl, { cacert: CERTS + "ca.crt" }));
    try {
      assert.equal((await trusted.authenticate()).projectName, "ocp");
    } finally {
      trusted.close();
    }
    const untrusted = await createOpenStackClient(cloud(fake.authUrl));
    try {
      await assert.rejects(untrusted.authenticate(), (err: OpenStackError) => {
        assert.equal(err.details.transport, "tls");
        assert.equal(err.exitCode, ExitCode.UsageError);
        assert.match(
          err.message,
          /^Cannot verify the TLS certificate of Keystone at https:\/\/127.0.0.1:\d+ \(cloud tlscloud\)/,
        );
        assert.match(err.hint ?? "", /cacert/);
        return true;
      });
    } finally {
      untrusted.close();
    }
  } finally {
    await fake.stop();
  }
});

Deno.test("verify: false talks to a server whose certificate is not trusted (over node:https)", async () => {
  const fake = await startFakeCloud([], { tls: { cert: read("server.crt"), key: read("server.key") } });
  try {
    const c = cloud(fake.authUrl, { verify: false });
    const client = await createOpenStackClient(c);
    try {
      assert.equal((await client.authenticate()).userName, "alice");
      // And a whole call through the session: the catalog's endpoint, same transport.
      await assert.rejects(client.neutron.networks.list(), (err: OpenStackError) => err.status === 404);
    } finally {
      client.close();
    }
  } finally {
    await fake.stop();
  }
});

/** An HTTPS Keystone that requires a client certificate signed by the test CA. */
async function mtlsKeystone(): Promise<{ url: string; peers: string[]; close(): void }> {
  const peers: string[] = [];
  const server = https.createServer({
    cert: read("server.crt"),
    key: read("server.key"),
    ca: read("ca.crt"),
    requestCert: true,
    rejectUnauthorized: true,
  }, (req, res) => {
    const peer = (req.socket as unknown as { getPeerCertificate(): { subject?: { CN?: string } } })
      .getPeerCertificate();
    peers.push(peer.subject?.CN ?? "");
    req.resume();
    req.on("end", () => {
      const now = Date.now();
      res.writeHead(201, { "Content-Type": "application/json", "X-Subject-Token": "gAAAAAmtls-token-value-1" });
      res.end(JSON.stringify({
        token: {
          issued_at: new Date(now).toISOString(),
          expires_at: new Date(now + 3600_000).toISOString(),
          project: { id: "p1", name: "mtls" },
          catalog: [],
        },
      }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}/v3`,
    peers,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

Deno.test("cert/key are presented to a server that requires a client certificate; one file holding both works too", async () => {
  const ks = await mtlsKeystone();
  const dir = await Deno.makeTempDir();
  try {
    const withCert = await createOpenStackClient(
      cloud(ks.url, { cacert: CERTS + "ca.crt", cert: CERTS + "client.crt", key: CERTS + "client.key" }),
    );
    try {
      assert.equal((await withCert.authenticate()).projectName, "mtls");
    } finally {
      withCert.close();
    }
    const combined = `${dir}/client.pem`;
    await Deno.writeTextFile(combined, read("client.crt") + read("client.key"));
    const oneFile = await createOpenStackClient(cloud(ks.url, { cacert: CERTS + "ca.crt", cert: combined }));
    try {
      assert.equal((await oneFile.authenticate()).projectName, "mtls");
    } finally {
      oneFile.close();
    }
    assert.deepEqual(ks.peers, ["system:admin", "system:admin"]);

    const without = await createOpenStackClient(cloud(ks.url, { cacert: CERTS + "ca.crt" }), {
      retry: { maxAttempts: 1 },
    });
    try {
      await assert.rejects(without.authenticate(), OpenStackError);
    } finally {
      without.close();
    }
    const verifyOff = await createOpenStackClient(
      cloud(ks.url, { verify: false, cert: CERTS + "client.crt", key: CERTS + "client.key" }),
    );
    try {
      assert.equal((await verifyOff.authenticate()).projectName, "mtls", "node:https presents the certificate too");
    } finally {
      verifyOff.close();
    }
  } finally {
    ks.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unreadable cacert is a configuration error naming the file and the cloud", async () => {
  await assert.rejects(
    createOpenStackClient(cloud("https://k/v3", { cacert: "/nonexistent/ca.pem" })),
    /The cacert file \/nonexistent\/ca.pem of cloud tlscloud \(test clouds.yaml\) cannot be read/,
  );
});
