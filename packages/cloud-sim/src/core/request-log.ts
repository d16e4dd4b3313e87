/** One request the simulator received, as tests and benchmarks see it. */
export interface RequestRecord {
  /** Milliseconds since the server started. */
  readonly at: number;
  /** The frontend that answered it (aws), or "" when no simulated cloud recognised the request. */
  readonly cloud: string;
  /** The service as the frontend names it (AWS: the signing-service style name, bedrock-agent apart from bedrock). */
  readonly service: string;
  readonly operation: string;
  /** The caller's account (an assumed role's key maps back to the role's account); "" when not known. */
  readonly account: string;
  readonly region: string;
  /** The credential that signed the request (an AWS access key id); "" when none. */
  readonly principal: string;
  /**
   * The operation is a read in the frontend's catalogue. Unknown operations are not, so a test can assert that a
   * scanner only reads (`writes()` is empty).
   */
  readonly readOnly: boolean;
  /** The request asked for secret material in clear (SSM GetParameters WithDecryption). */
  readonly secret: boolean;
  /** HTTP status sent (0 for a request left hanging). */
  status: number;
  /** The error code sent, if any (e.g. ThrottlingException, AccessDenied). */
  errorCode?: string;
  /** The injected fault that decided the answer (a FaultKind), or "rate-limit" when an enforced rate limit did. */
  fault?: string;
  /** The rate (requests per second, one second of burst) this request counted against, when one is enforced. */
  ratePerSecond?: number;
}

export interface RequestFilter {
  readonly cloud?: string;
  readonly service?: string;
  readonly operation?: string;
  readonly account?: string;
  readonly region?: string;
}

/** Every request in arrival order. */
export class RequestLog {
  readonly #records: RequestRecord[] = [];

  add(record: RequestRecord): void {
    this.#records.push(record);
  }

  get size(): number {
    return this.#records.length;
  }

  all(): readonly RequestRecord[] {
    return this.#records;
  }

  filter(filter: RequestFilter = {}): RequestRecord[] {
    return this.#records.filter(
      (r) =>
        (filter.cloud === undefined || r.cloud === filter.cloud) &&
        (filter.service === undefined || r.service === filter.service) &&
        (filter.operation === undefined || r.operation === filter.operation) &&
        (filter.account === undefined || r.account === filter.account) &&
        (filter.region === undefined || r.region === filter.region),
    );
  }

  count(filter: RequestFilter = {}): number {
    return this.filter(filter).length;
  }

  /** Requests that were not reads (see RequestRecord.readOnly). */
  writes(): RequestRecord[] {
    return this.#records.filter((r) => !r.readOnly);
  }

  /** `service:Operation` names seen, sorted. */
  operations(): string[] {
    return [...new Set(this.#records.map((r) => `${r.service}:${r.operation}`))].sort();
  }

  clear(): void {
    this.#records.length = 0;
  }
}
