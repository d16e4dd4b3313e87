/**
 * Strict parsers of the two line formats, written from their specifications (not from aigov's writer), so a test
 * can read back what a collector would read.
 */

/** CEF extension keys aigov writes: the CEF key dictionary's names for them. */
const CEF_KEYS = new Set([
  "rt",
  "externalId",
  "act",
  "outcome",
  "cat",
  "msg",
  ...[1, 2, 3, 4, 5, 6].flatMap((n) => [`cs${n}`, `cs${n}Label`]),
]);

export interface CefRecord {
  readonly header: string[];
  readonly extension: Record<string, string>;
}

/**
 * ArcSight CEF (Implementing ArcSight CEF, rev. 25): `CEF:Version|Vendor|Product|Version|Class|Name|Severity|Ext`.
 * Header fields escape only `\|` and `\\`; extension values only `\=`, `\\`, `\n` and `\r`; a line break, an
 * unescaped `=` in a value, an unknown escape or an unknown key is an error.
 */
export function parseCef(line: string): CefRecord {
  if (/[\r\n]/.test(line)) throw new Error("a CEF record is one line");
  if (!line.startsWith("CEF:0|")) throw new Error("no CEF:0 prefix");
  const header: string[] = [];
  let field = "";
  let index = 4;
  while (header.length < 7) {
    const char = line[index];
    if (char === undefined) throw new Error(`header has ${header.length} fields`);
    if (char === "\\") {
      const next = line[index + 1];
      if (next !== "|" && next !== "\\") throw new Error(`bad header escape \\${next} at ${index}`);
      field += next;
      index += 2;
      continue;
    }
    if (char === "|") {
      header.push(field);
      field = "";
    } else field += char;
    index += 1;
  }
  if (!/^([0-9]|10)$/.test(header[6]!)) throw new Error(`severity ${header[6]}`);
  const extension: Record<string, string> = {};
  const text = line.slice(index);
  // Keys start after a space (or at the beginning): `key=`; everything up to the next ` key=` is the value.
  const pairs = text.split(/ (?=[A-Za-z0-9_]+=)/);
  for (const pair of pairs) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = pair.slice(0, eq);
    if (!CEF_KEYS.has(key)) throw new Error(`unknown extension key ${key}`);
    extension[key] = unescapeExtension(pair.slice(eq + 1), key);
  }
  return { header, extension };
}

function unescapeExtension(raw: string, key: string): string {
  let out = "";
  for (let index = 0; index < raw.length; index += 1) {
    const char = raw[index]!;
    if (char === "=") throw new Error(`unescaped = in ${key}`);
    if (char !== "\\") {
      out += char;
      continue;
    }
    const next = raw[index + 1];
    index += 1;
    if (next === "=" || next === "\\") out += next;
    else if (next === "n") out += "\n";
    else if (next === "r") out += "\r";
    else throw new Error(`bad extension escape \\${next} in ${key}`);
  }
  return out;
}

export interface SyslogRecord {
  readonly pri: number;
  readonly timestamp: string;
  readonly hostname: string;
  readonly appName: string;
  readonly msgId: string;
  readonly structuredData: Record<string, Record<string, string>>;
  /** MSG without its BOM. */
  readonly message: string;
  readonly bom: boolean;
}

const PRINTUSASCII = /^[\x21-\x7e]+$/;

/**
 * RFC 5424 (section 6): `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [SP MSG]`, header fields printable
 * US-ASCII within their lengths, SD-PARAM values escaping `"`, `\` and `]`, MSG with a BOM when it is not ASCII
 * (section 6.4: a UTF-8 MSG starts with the BOM). A control character anywhere is an error (it would split or
 * corrupt a line-oriented record).
 */
export function parseRfc5424(line: string): SyslogRecord {
  if (/[\u0000-\u001f\u007f-\u009f]/.test(line)) throw new Error("control character in the message");
  const head = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) /.exec(line);
  if (head === null) throw new Error("no RFC 5424 header");
  const [, pri, timestamp, hostname, appName, procId, msgId] = head;
  if (Number(pri) > 191) throw new Error(`PRI ${pri}`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/.test(timestamp!))
    throw new Error(`TIMESTAMP ${timestamp}`);
  for (const [value, max] of [
    [hostname!, 255],
    [appName!, 48],
    [procId!, 128],
    [msgId!, 32],
  ] as const) {
    if (!PRINTUSASCII.test(value) || value.length > max) throw new Error(`header field ${value}`);
  }
  let index = head[0].length;
  const structuredData: Record<string, Record<string, string>> = {};
  if (line[index] === "-") index += 1;
  else {
    while (line[index] === "[") {
      const id = /^\[([^ =\]"]{1,32})/.exec(line.slice(index));
      if (id === null) throw new Error(`SD-ID at ${index}`);
      index += id[0].length;
      const params: Record<string, string> = {};
      while (line[index] === " ") {
        const name = /^ ([^ =\]"]{1,32})="/.exec(line.slice(index));
        if (name === null) throw new Error(`SD-PARAM at ${index}`);
        index += name[0].length;
        let value = "";
        for (;;) {
          const char = line[index];
          if (char === undefined) throw new Error("unterminated PARAM-VALUE");
          if (char === "\\" && ['"', "\\", "]"].includes(line[index + 1]!)) {
            value += line[index + 1];
            index += 2;
            continue;
          }
          if (char === '"') break;
          if (char === "]") throw new Error(`unescaped ] in ${name[1]}`);
          value += char;
          index += 1;
        }
        params[name[1]!] = value;
        index += 1;
      }
      if (line[index] !== "]") throw new Error(`SD-ELEMENT not closed at ${index}`);
      index += 1;
      structuredData[id[1]!] = params;
    }
  }
  let message = "";
  let bom = false;
  if (index < line.length) {
    if (line[index] !== " ") throw new Error(`no SP before MSG at ${index}`);
    message = line.slice(index + 1);
    bom = message.startsWith("\ufeff");
    if (bom) message = message.slice(1);
    if (!bom && /[^\x00-\x7f]/.test(message)) throw new Error("a UTF-8 MSG must start with the BOM (RFC 5424 6.4)");
  }
  return {
    pri: Number(pri),
    timestamp: timestamp!,
    hostname: hostname!,
    appName: appName!,
    msgId: msgId!,
    structuredData,
    message,
    bom,
  };
}
