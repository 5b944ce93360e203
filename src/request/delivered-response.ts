// An answer the retrying fetch has already read, handed to openapi-fetch (and any middleware) as
// a Response that can be read again without a copy, with what the retry loop learnt of it
// carried on the Response itself: the attempts it took, the request id, the verdict. `text()`
// and `json()` serve what was read and parsed once; the `body` stream is made only if someone
// asks for it (a stream per answer is a measurable share of a call on loopback).
import type { Verdict } from './retry-policy.js';

const decoder = new TextDecoder();

/** What the retry loop learnt of an answer. */
export interface DeliveryFacts {
  method: string;
  /** Path and query of the request. */
  path: string;
  /** Attempts of the logical call so far, this one included. */
  attempts: number;
  /** `X-Request-Id`, redacted. */
  requestId: string | undefined;
  /** `ok`, or the kind of an error answer and whether it was worth retrying. */
  verdict: Verdict;
}

/** A Response over bytes already read, with the facts of its delivery. */
export class DeliveredResponse extends Response {
  readonly facts: DeliveryFacts;
  readonly #bytes: Uint8Array<ArrayBuffer>;
  readonly #headers: Headers;
  #text: string | undefined;
  #json: { value: unknown } | undefined;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | null | undefined;

  constructor(
    bytes: Uint8Array,
    init: { status: number; statusText?: string; headers: Headers },
    facts: DeliveryFacts,
    read: { text?: string | undefined; json?: { value: unknown } | undefined } = {},
  ) {
    // The answer's own headers, shared rather than copied into the Response (they are read-only
    // to whoever reads the answer: openapi-fetch, middleware, the caller).
    super(null, { status: init.status, ...(init.statusText !== undefined && { statusText: init.statusText }) });
    this.#headers = init.headers;
    this.facts = facts;
    this.#bytes = bytes as Uint8Array<ArrayBuffer>;
    this.#text = read.text;
    this.#json = read.json;
  }

  /** The body's text when it has been decoded already (a JSON answer), for reading it again. */
  get readText(): string | undefined {
    return this.#text;
  }

  /** The answer's headers. */
  get sharedHeaders(): Headers {
    return this.#headers;
  }

  /** The body as a stream, made on first use. */
  get stream(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.#stream === undefined) {
      this.#stream = this.#bytes.byteLength === 0 ? null : new Response(this.#bytes).body;
    }
    return this.#stream;
  }

  override async text(): Promise<string> {
    return (this.#text ??= decoder.decode(this.#bytes));
  }

  /** The parsed body: the retrying fetch's own parse the first time, a fresh one after. */
  override async json(): Promise<any> {
    const parsed = this.#json;
    this.#json = undefined;
    return parsed ? parsed.value : JSON.parse(await this.text());
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#bytes.slice().buffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#bytes.slice();
  }

  override async blob(): Promise<Blob> {
    return new Blob([this.#bytes], { type: this.headers.get('content-type') ?? '' });
  }

  override clone(): DeliveredResponse {
    return new DeliveredResponse(
      this.#bytes,
      { status: this.status, statusText: this.statusText, headers: this.headers },
      this.facts,
      { text: this.#text },
    );
  }
}

// `body` and `headers` are accessors of Response's prototype; TypeScript will not let a class
// override them as such, so they are defined here, on the subclass's prototype.
Object.defineProperties(DeliveredResponse.prototype, {
  body: {
    get(this: DeliveredResponse) {
      return this.stream;
    },
    configurable: true,
  },
  headers: {
    get(this: DeliveredResponse) {
      return this.sharedHeaders;
    },
    configurable: true,
  },
});

/** The Response of a delivery: its reason phrase kept unless Response refuses it. */
export function deliver(
  answer: Response,
  bytes: Uint8Array,
  facts: DeliveryFacts,
  read: { text?: string | undefined; json?: { value: unknown } | undefined },
): DeliveredResponse {
  try {
    return new DeliveredResponse(
      bytes,
      { status: answer.status, statusText: answer.statusText, headers: answer.headers },
      facts,
      read,
    );
  } catch {
    // A reason phrase that Response refuses: the status says all that matters.
    return new DeliveredResponse(bytes, { status: answer.status, headers: answer.headers }, facts, read);
  }
}
