import { scrubSecrets } from '../../src/logging/scrub-secrets';

describe('scrubSecrets', () => {
  it('removes every configured secret, plain or inside a Basic header, wherever it sits', () => {
    const secrets = ['tok_live_abcdef', 'AC123:sekret-token'];
    const basic = Buffer.from('AC123:sekret-token').toString('base64');
    const line = `{"msg":"failed tok_live_abcdef","err":"Authorization: Basic ${basic}","again":"tok_live_abcdef"}`;
    const out = scrubSecrets(line, secrets);
    expect(out).not.toContain('tok_live_abcdef');
    expect(out).not.toContain(basic);
    expect(out).toBe('{"msg":"failed [REDACTED]","err":"Authorization: Basic [REDACTED]","again":"[REDACTED]"}');
  });

  it('leaves lines without secrets untouched', () => {
    expect(scrubSecrets('{"msg":"ok"}', ['tok_live_abcdef'])).toBe('{"msg":"ok"}');
  });
});
