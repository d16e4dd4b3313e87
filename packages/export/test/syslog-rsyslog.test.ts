import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parsePolicy } from "@aigov/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSink, exportDirect, parseSinks, syslogMessage } from "../src/index.ts";
import { findingFor, manyFindings, notebook, openaiAccount, vertexEndpoint } from "./finding-fixtures.ts";

// A real rsyslog (Debian packages rsyslog + rsyslog-gnutls, installed by .ci/run) receives what the syslog
// sink sends over TCP, TLS and UDP and writes each message's raw bytes to a file; the test reads those files.
const RSYSLOGD = "/usr/sbin/rsyslogd";
const HOSTNAME = "aigov-test";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, daemon: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (daemon.exitCode !== null) throw new Error(`rsyslogd exited with ${daemon.exitCode}: ${stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = netConnect({ host: "127.0.0.1", port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`rsyslogd did not listen on ${port}: ${stderr()}`);
}

/** Waits until `file` holds `lines` complete lines (omfile writes asynchronously to us). */
async function readLines(file: string, lines: number): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  let text = "";
  while (Date.now() < deadline) {
    text = existsSync(file) ? readFileSync(file, "utf8") : "";
    if (text.split("\n").length - 1 >= lines) break;
    await sleep(100);
  }
  return text.split("\n").slice(0, -1);
}

describe("syslog sink against a real rsyslog", () => {
  let dir = "";
  let daemon: ChildProcess | undefined;
  let daemonStderr = "";
  const ports = { tcp: 0, tls: 0, udp: 0 };

  beforeAll(async () => {
    if (!existsSync(RSYSLOGD)) {
      throw new Error(`${RSYSLOGD} is missing: install the Debian packages rsyslog and rsyslog-gnutls (.ci/run does)`);
    }
    dir = mkdtempSync(join(tmpdir(), "aigov-rsyslog-"));
    mkdirSync(join(dir, "work"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    ports.tcp = await freePort();
    ports.tls = await freePort();
    ports.udp = await freePort();
    const conf = `
global(workDirectory="${dir}/work"
       defaultNetstreamDriverCAFile="${dir}/cert.pem"
       defaultNetstreamDriverCertFile="${dir}/cert.pem"
       defaultNetstreamDriverKeyFile="${dir}/key.pem"
       maxMessageSize="64k")
module(load="imtcp" maxSessions="20")
module(load="imudp")
# rawmsg: the message exactly as received, without the octet count of its frame.
template(name="raw" type="string" string="%rawmsg%\\n")
input(type="imtcp" address="127.0.0.1" port="${ports.tcp}" ruleset="tcp")
input(type="imtcp" address="127.0.0.1" port="${ports.tls}" ruleset="tls"
      streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
input(type="imudp" address="127.0.0.1" port="${ports.udp}" ruleset="udp")
ruleset(name="tcp") { action(type="omfile" file="${dir}/tcp.log" template="raw" flushOnTXEnd="on" asyncWriting="off") }
ruleset(name="tls") { action(type="omfile" file="${dir}/tls.log" template="raw" flushOnTXEnd="on" asyncWriting="off") }
ruleset(name="udp") { action(type="omfile" file="${dir}/udp.log" template="raw" flushOnTXEnd="on" asyncWriting="off") }
`;
    writeFileSync(join(dir, "rsyslog.conf"), conf);
    daemon = spawn(RSYSLOGD, ["-n", "-f", join(dir, "rsyslog.conf"), "-i", join(dir, "rsyslogd.pid")], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    daemon.stderr?.on("data", (chunk: Buffer) => {
      daemonStderr += chunk.toString();
    });
    await waitForPort(ports.tcp, daemon, () => daemonStderr);
    await waitForPort(ports.tls, daemon, () => daemonStderr);
  });

  afterAll(async () => {
    if (daemon !== undefined && daemon.exitCode === null) {
      daemon.kill("SIGTERM");
      await new Promise((resolve) => daemon!.once("exit", resolve));
    }
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  function sink(protocol: "tcp" | "tls" | "udp", format: "cef" | "rfc5424") {
    const yaml =
      `sinks:\n  - { name: siem, type: syslog, host: 127.0.0.1, port: ${ports[protocol]}, protocol: ${protocol}, format: ${format},` +
      ` hostname: ${HOSTNAME}${protocol === "tls" ? `, ca_file: "${dir}/cert.pem"` : ""}, batch: { max_records: 3 } }`;
    return createSink(parseSinks(parsePolicy(yaml, "aigov.yaml"))[0]!, {});
  }

  const retry = { attempts: 2, baseMs: 10, maxMs: 20, maxRetryAfterMs: 20 };
  const findings = [
    findingFor(notebook, { severity: "critical", message: "root | access = on\nsecond line" }),
    findingFor(openaiAccount, { status: "waived" }),
    findingFor(vertexEndpoint, { severity: "low", title: 'Vertex "endpoint"] public' }),
    ...manyFindings(4),
  ];
  const expected = (format: "cef" | "rfc5424") =>
    findings.map((finding) => syslogMessage(finding, { hostname: HOSTNAME, body: format }));

  it("receives RFC 5424 messages over TLS (RFC 5425 octet counting) byte for byte", async () => {
    const tls = sink("tls", "rfc5424");
    await exportDirect(tls, findings, { retry });
    await tls.close();
    const lines = await readLines(join(dir, "tls.log"), findings.length);
    expect(lines).toEqual(expected("rfc5424"));
    expect(lines[0]).toMatch(
      /^<106>1 2026-11-22T04:05:07\.123Z aigov-test aigov - finding \[aigov@32473 id="[0-9a-f]{32}" /,
    );
  });

  it("receives CEF over TLS and over plain TCP byte for byte", async () => {
    const tls = sink("tls", "cef");
    await exportDirect(tls, findings, { retry });
    await tls.close();
    const tcp = sink("tcp", "cef");
    await exportDirect(tcp, findings, { retry });
    await tcp.close();
    const tlsLines = await readLines(join(dir, "tls.log"), findings.length * 2);
    expect(tlsLines.slice(findings.length)).toEqual(expected("cef"));
    const tcpLines = await readLines(join(dir, "tcp.log"), findings.length);
    expect(tcpLines).toEqual(expected("cef"));
    // The CEF extension kept its escapes through rsyslog: `|` is free in extensions, `=` and newlines are escaped.
    expect(tcpLines[0]).toContain("msg=root | access \\= on\\nsecond line");
  });

  it("receives RFC 5424 over plain TCP and UDP", async () => {
    const tcp = sink("tcp", "rfc5424");
    await exportDirect(tcp, findings, { retry });
    await tcp.close();
    expect((await readLines(join(dir, "tcp.log"), findings.length * 2)).slice(findings.length)).toEqual(
      expected("rfc5424"),
    );
    const udp = sink("udp", "rfc5424");
    await exportDirect(udp, findings, { retry });
    expect(await readLines(join(dir, "udp.log"), findings.length)).toEqual(expected("rfc5424"));
  });

  it("a TLS sink refuses a server whose certificate it does not trust", async () => {
    const yaml = `sinks:\n  - { name: siem, type: syslog, host: 127.0.0.1, port: ${ports.tls}, protocol: tls }`;
    const untrusting = createSink(parseSinks(parsePolicy(yaml, "aigov.yaml"))[0]!, {});
    await expect(exportDirect(untrusting, findings.slice(0, 1), { retry })).rejects.toThrow(/self-signed|certificate/);
    await untrusting.close();
  });
});
