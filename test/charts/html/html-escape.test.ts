import { describe, expect, it } from 'vitest';
import { escapeHtml, inlineCode, jsonForScript } from '../../../src/charts/html/html-escape.js';

describe('jsonForScript', () => {
  it('leaves no "<" in the text and parses back to the same value', () => {
    const value = { a: '</script><!-- x -->', b: '\u2028\u2029', c: [1, null, 'é'] };
    const text = jsonForScript(value);
    expect(text).not.toContain('<');
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('inlineCode', () => {
  it('breaks up closing tags and comment openers in inlined code', () => {
    expect(inlineCode('x="</script>";y="</STYLE>";z="<!--"')).toBe('x="<\\/script>";y="<\\/STYLE>";z="<\\!--"');
  });
});

describe('escapeHtml', () => {
  it('escapes the characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
