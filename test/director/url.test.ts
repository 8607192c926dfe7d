import { describe, expect, it } from 'vitest';
import { DirectorUrlError, isLoopbackHost, parseDirectorUrl } from '../../src/director/index.js';

describe('parseDirectorUrl', () => {
  it.each([
    ['10.0.0.6', 'https://10.0.0.6:25555'],
    ['bosh.example.com', 'https://bosh.example.com:25555'],
    ['10.0.0.6:8443', 'https://10.0.0.6:8443'],
    ['https://10.0.0.6', 'https://10.0.0.6:25555'],
    ['https://10.0.0.6:25555/', 'https://10.0.0.6:25555'],
    ['https://bosh.example.com:443', 'https://bosh.example.com'],
    ['[fd00::6]', 'https://[fd00::6]:25555'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost', 'http://localhost:25555'],
    ['http://[::1]:9', 'http://[::1]:9'],
  ])('reads %s as %s, as bosh-cli would', (input, origin) => {
    expect(parseDirectorUrl(input)).toBe(origin);
  });

  it.each([
    ['http://10.0.0.6:25555', /plain http/],
    ['http://128.0.0.1', /plain http/],
    ['ftp://10.0.0.6', /must use https/],
    ['https://admin:pw@10.0.0.6', /must not carry credentials/],
    ['https://10.0.0.6/api', /must not have a path/],
    ['https://10.0.0.6?x=1', /query/],
    ['https://exa mple.com', /not a URL/],
    ['', /empty/],
  ])('refuses %s with a clear one-line reason', (input, reason) => {
    const error = (() => {
      try {
        parseDirectorUrl(input);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DirectorUrlError);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain('\n');
  });

  it('never echoes a URL that holds credentials', () => {
    expect(() => parseDirectorUrl('https://admin:hunter2@10.0.0.6')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.8.9.10', 'localhost', '[::1]', '::1'].map(isLoopbackHost)).toEqual(
      Array(5).fill(true),
    );
    expect(['128.0.0.1', '10.0.0.1', 'localhost.example.com', '::2'].map(isLoopbackHost)).toEqual(
      Array(4).fill(false),
    );
  });
});
