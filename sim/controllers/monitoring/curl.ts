/**
 * Just enough of curl's command line for the documented Prometheus queries (procedures.md §7): URL, `-G`,
 * `-d`/`--data*`, `--data-urlencode`, `-H`, `-X`, `-k`, `-s`, `-S`, `-f`, `-o`, `-w '%{http_code}'`.
 */

export interface CurlRequest {
  method: string;
  url?: string;
  headers: Record<string, string>;
  /** Form fields, already URL-encoded, joined with & (body for POST, query for -G). */
  data: string[];
  get: boolean;
  insecure: boolean;
  silent: boolean;
  showError: boolean;
  fail: boolean;
  output?: string;
  writeOut?: string;
}

export class CurlUsageError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

const WITH_VALUE = new Set([
  "-H",
  "--header",
  "-X",
  "--request",
  "-d",
  "--data",
  "--data-raw",
  "--data-binary",
  "--data-ascii",
  "--data-urlencode",
  "-o",
  "--output",
  "-w",
  "--write-out",
  "-m",
  "--max-time",
  "--connect-timeout",
  "-u",
  "--user",
  "--cacert",
  "--cert",
  "-E",
  "--key",
  "-A",
  "--user-agent",
  "--url",
  "-e",
  "--referer",
  "--retry",
  "-b",
  "--cookie",
]);
const SHORT_WITH_VALUE = new Set(["H", "X", "d", "o", "w", "m", "u", "E", "A", "e", "b"]);

/** `--data-urlencode` forms: `content`, `=content`, `name=content` (the `@file` forms are not supported). */
function urlencodeData(arg: string): string {
  if (arg.startsWith("@") || /^[^=]*@/.test(arg) && !arg.includes("=")) {
    throw new CurlUsageError(`curl: (26) Failed to open/read local data from file/application`, 26);
  }
  const eq = arg.indexOf("=");
  if (eq < 0) return encodeURIComponent(arg);
  if (eq === 0) return encodeURIComponent(arg.slice(1));
  return `${arg.slice(0, eq)}=${encodeURIComponent(arg.slice(eq + 1))}`;
}

export function parseCurl(args: string[]): CurlRequest {
  const req: CurlRequest = {
    method: "",
    headers: {},
    data: [],
    get: false,
    insecure: false,
    silent: false,
    showError: false,
    fail: false,
  };
  const flags: string[] = [];
  const take = (opt: string, value: string | undefined) => {
    if (value === undefined) throw new CurlUsageError(`curl: option ${opt}: requires parameter`, 2);
    switch (opt) {
      case "-H":
      case "--header": {
        const i = value.indexOf(":");
        if (i > 0) req.headers[value.slice(0, i).trim().toLowerCase()] = value.slice(i + 1).trim();
        break;
      }
      case "-X":
      case "--request":
        req.method = value.toUpperCase();
        break;
      case "-d":
      case "--data":
      case "--data-raw":
      case "--data-binary":
      case "--data-ascii":
        if (value.startsWith("@") && opt !== "--data-raw") {
          throw new CurlUsageError(`curl: (26) Failed to open/read local data from file/application`, 26);
        }
        req.data.push(value);
        break;
      case "--data-urlencode":
        req.data.push(urlencodeData(value));
        break;
      case "-o":
      case "--output":
        req.output = value;
        break;
      case "-w":
      case "--write-out":
        req.writeOut = value;
        break;
      case "--url":
        req.url = value;
        break;
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (WITH_VALUE.has(name)) {
        take(name, eq > 0 ? a.slice(eq + 1) : args[++i]);
        continue;
      }
      flags.push(name);
    } else if (a.startsWith("-") && a.length > 1) {
      // Combined short flags (-sSk); a value-taking letter consumes the rest or the next word.
      for (let j = 1; j < a.length; j++) {
        const l = a[j];
        if (SHORT_WITH_VALUE.has(l)) {
          take(`-${l}`, j + 1 < a.length ? a.slice(j + 1) : args[++i]);
          break;
        }
        flags.push(`-${l}`);
      }
    } else {
      req.url ??= a;
    }
  }
  for (const f of flags) {
    if (f === "-G" || f === "--get") req.get = true;
    else if (f === "-k" || f === "--insecure") req.insecure = true;
    else if (f === "-s" || f === "--silent") req.silent = true;
    else if (f === "-S" || f === "--show-error") req.showError = true;
    else if (f === "-f" || f === "--fail") req.fail = true;
  }
  if (!req.url) {
    throw new CurlUsageError(
      "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information",
      2,
    );
  }
  req.method ||= req.data.length && !req.get ? "POST" : "GET";
  return req;
}
