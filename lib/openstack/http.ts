/**
 * The HTTP exchange under every OpenStack call: one transport, a per-attempt timeout, the retry rule of
 * retry.ts, failures mapped to OpenStackErrors, and `-v` logging (6: method, URL, status, time; 7: headers
 * with credentials masked; 8: bodies, truncated; 9: whole bodies; credential fields of request bodies
 * always masked).
 */
import { type CallInfo, type OpenStackError, type ServiceType, statusError, transportError } from "./errors.ts";
import { bodyForLog, formatHeaders, type OpenStackLogger, type SecretMask } from "./log.ts";
import { parseRetryAfter, type RetryPolicy, type Sleep, withRetry } from "./retry.ts";
import { type Transport, TransportFailure } from "./transport.ts";

export interface HttpCallerOptions {
  transport: Transport;
  /** The cloud's name, for messages. */
  cloud: string;
  logger: OpenStackLogger;
  mask: SecretMask;
  retry: RetryPolicy;
  sleep: Sleep;
  random: () => number;
  now: () => number;
  /** Per-attempt timeout in milliseconds; 0 = none. */
  requestTimeoutMs: number;
  signal?: AbortSignal;
  userAgent: string;
}

export interface HttpCall {
  service: ServiceType;
  method: string;
  url: URL;
  /** A JSON body. */
  body?: unknown;
  /** What the log shows of the body (a copy with the credentials masked); default the body itself. */
  logBody?: unknown;
  /** The call may be repeated after a 5xx or a broken connection (see retry.ts). */
  safeToRepeat: boolean;
}

export interface HttpAnswer {
  url: URL;
  status: number;
  headers: Headers;
  text: string;
}

/** Headers computed per attempt (the token may change between attempts). */
export type HeaderSource = () => Promise<Record<string, string>>;

export class HttpCaller {
  constructor(private readonly o: HttpCallerOptions) {}

  get cloud(): string {
    return this.o.cloud;
  }

  private log(level: number, message: string | (() => string)): void {
    const logger = this.o.logger;
    if (logger.enabled && !logger.enabled(level)) return;
    logger.debug(level, this.o.mask.apply(typeof message === "string" ? message : message()));
  }

  /** Sends `call`, retrying as retry.ts allows; an answer ≥ 400 is thrown as an OpenStackError. */
  call(call: HttpCall, headers?: HeaderSource): Promise<HttpAnswer> {
    return withRetry(
      () => this.once(call, headers),
      call.safeToRepeat,
      this.o.retry,
      {
        sleep: this.o.sleep,
        random: this.o.random,
        signal: this.o.signal,
        onRetry: (attempt, delay, err) =>
          this.log(
            2,
            `retrying ${call.method} ${call.url} in ${delay} ms after attempt ${attempt}: ${(err as Error).message}`,
          ),
      },
    );
  }

  /** One attempt. */
  async once(call: HttpCall, headerSource?: HeaderSource): Promise<HttpAnswer> {
    const info: CallInfo = { cloud: this.o.cloud, service: call.service, method: call.method, url: call.url };
    const headers: Record<string, string> = {
      Accept: "application/json",
      "User-Agent": this.o.userAgent,
      ...(headerSource ? await headerSource() : {}),
    };
    let body: string | undefined;
    if (call.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(call.body);
    }
    this.log(7, () => `${call.method} ${call.url}\nRequest headers:\n${formatHeaders(Object.entries(headers))}`);
    if (body !== undefined) {
      this.log(8, () => `Request body: ${bodyForLog(JSON.stringify(call.logBody ?? call.body), this.level())}`);
    }
    const started = this.o.now();
    let answer: HttpAnswer;
    try {
      const resp = await this.o.transport.send({
        method: call.method,
        url: call.url.toString(),
        headers,
        body,
        timeoutMs: this.o.requestTimeoutMs,
        signal: this.o.signal,
      });
      answer = { url: call.url, ...resp };
    } catch (err) {
      const mapped = err instanceof TransportFailure
        ? transportError(info, err.kind, err.message, err)
        : transportError(info, "reset", err instanceof Error ? err.message : String(err), err);
      this.log(6, `${call.method} ${call.url} failed after ${this.o.now() - started} ms: ${mapped.message}`);
      throw mapped;
    }
    this.log(6, `${call.method} ${call.url} ${answer.status} in ${this.o.now() - started} ms`);
    this.log(7, () => `Response headers:\n${formatHeaders(answer.headers.entries())}`);
    if (answer.text) this.log(8, () => `Response body: ${bodyForLog(answer.text, this.level())}`);
    if (answer.status >= 400) {
      const retryAfter = parseRetryAfter(answer.headers.get("retry-after"), this.o.now());
      throw statusError(info, answer.status, answer.text, retryAfter) satisfies OpenStackError;
    }
    return answer;
  }

  /** The highest level the logger shows (for how much of a body to print). */
  private level(): number {
    const logger = this.o.logger;
    if (!logger.enabled) return 9;
    return logger.enabled(9) ? 9 : 8;
  }

  close(): void {
    this.o.transport.close();
  }
}
