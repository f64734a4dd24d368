import type { Readable } from 'node:stream';

/** Where a command writes. Real runs wrap process streams; tests pass string buffers. */
export interface OutStream {
  write(text: string): void;
  /** True when a person is looking at it (a terminal), false for pipes, files and tests. */
  readonly isTTY: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
}

export interface IO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: Readable;
  /** Whether stdin is a terminal: prompts are allowed only when both stdin and stderr are. */
  stdinIsTTY: boolean;
  /** The terminal prompts draw on (the real stderr); absent in tests and pipes, where nothing prompts. */
  promptOutput?: NodeJS.WritableStream;
}

/** A buffer stream for tests and for capturing output in-process. */
export class BufferStream implements OutStream {
  private chunks: string[] = [];
  constructor(
    readonly isTTY = false,
    readonly columns = 100,
  ) {}
  write(text: string): void {
    this.chunks.push(text);
  }
  text(): string {
    return this.chunks.join('');
  }
}

export function processIO(): IO {
  // A closed pipe (`crm … | head`) is not an error worth a stack trace: stop quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const wrap = (stream: NodeJS.WriteStream): OutStream => ({
    write: (text: string) => {
      stream.write(text);
    },
    get isTTY() {
      return Boolean(stream.isTTY);
    },
    get columns() {
      return stream.columns;
    },
  });
  return {
    stdout: wrap(process.stdout),
    stderr: wrap(process.stderr),
    stdin: process.stdin,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    promptOutput: process.stderr,
  };
}
