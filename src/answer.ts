// An answer the transport has already read, handed on as a Response that can be read again (by
// openapi-fetch, by middleware, by the caller) without a copy: `text()`, `json()`, `arrayBuffer()`,
// `bytes()`, `blob()` and `clone()` serve the bytes that were read, and the `body` stream is
// made only if someone asks for it. A plain `new Response(bytes)` builds a stream per answer,
// a measurable share of a call on loopback (see bench/, benchmark 3).

const decoder = new TextDecoder();

/** A Response over bytes already read. */
export class ReadResponse extends Response {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  #text: string | undefined;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | null | undefined;

  constructor(bytes: Uint8Array, text: string | undefined, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes as Uint8Array<ArrayBuffer>;
    this.#text = text;
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

  override async json(): Promise<any> {
    return JSON.parse(await this.text());
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

  override clone(): ReadResponse {
    return new ReadResponse(this.#bytes, this.#text, {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
    });
  }
}

// `body` is an accessor of Response's prototype; TypeScript will not let a class override it as
// one, so it is defined here, on the subclass's prototype.
Object.defineProperty(ReadResponse.prototype, 'body', {
  get(this: ReadResponse) {
    return this.stream;
  },
  configurable: true,
});
