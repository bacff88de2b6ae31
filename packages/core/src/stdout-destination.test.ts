import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stdoutDestination } from './stdout-destination.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('stdoutDestination', () => {
  it('is one writer for the whole process', () => {
    expect(stdoutDestination()).toBe(stdoutDestination());
  });

  it('writes the whole line to fd 1 before returning, going on after a short write and a full pipe', () => {
    const written: string[] = [];
    let call = 0;
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buffer: Uint8Array) => {
      expect(fd).toBe(1);
      call++;
      if (call === 2) throw Object.assign(new Error('resource temporarily unavailable'), { code: 'EAGAIN' });
      // The first call takes 3 bytes only, as a nearly full pipe does.
      const taken = call === 1 ? 3 : buffer.length;
      written.push(Buffer.from(buffer.subarray(0, taken)).toString());
      return taken;
    }) as typeof fs.writeSync);
    stdoutDestination().write('{"level":"INFO"}\n');
    expect(written.join('')).toBe('{"level":"INFO"}\n');
    expect(call).toBe(3);
  });

  it('lets any other write error through', () => {
    vi.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw Object.assign(new Error('bad file descriptor'), { code: 'EBADF' });
    });
    expect(() => stdoutDestination().write('x\n')).toThrow('bad file descriptor');
  });
});
