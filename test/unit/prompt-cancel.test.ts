import { PassThrough } from 'node:stream';
import { input } from '@inquirer/prompts';
import { expect, it } from 'vitest';
import { cancellable } from '../../src/cli/prompt.js';

it('a prompt given up on (Ctrl-C, or aborted) is "cancelled" with exit 2, not an unexpected error', async () => {
  const stdin = new PassThrough();
  const output = new PassThrough();
  output.resume();
  const controller = new AbortController();
  const asked = cancellable(input({ message: 'code' }, { input: stdin, output, signal: controller.signal }));
  controller.abort();
  await expect(asked).rejects.toMatchObject({
    code: 'E0004',
    exitCode: 2,
    messages: { zh: '已取消', en: 'cancelled' },
  });
});

it('other prompt failures pass through unchanged', async () => {
  await expect(cancellable(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
});
