// HTML bodies lose nothing a browser would show: each case is rendered by the widget, and the
// text of its release body is compared with the text Chromium's own HTML parser finds in the same
// markup (DOMParser), leaving out only what the allow-list drops with its content.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, widget, releaseBody } from "./harness.mjs";

const CASES = [
  "<p>Before</p><svg/><p>After a self-closing svg</p>",
  "<p>Before</p><math/><p>After a self-closing math</p>",
  "<p>Before</p><svg><circle r=\"1\"/><text>drawn</text></svg><p>After an svg</p>",
  "<svg><g><p>A paragraph breaks out of svg</p></g></svg> and the text after",
  "<math><mi>x</mi><b>Bold breaks out of math</b></math> after",
  "<svg><![CDATA[</svg>]]></svg>After CDATA in svg",
  "<p>Before</p><iframe src=\"/x\">fallback</iframe><p>After a closed iframe</p>",
  "<p>Before an iframe that never closes</p><iframe src=\"/x\"><p>Not shown by a browser</p>",
  "<p>Before</p><noembed>x</noembed><p>After noembed</p>",
  "<p>Before a noembed that never closes</p><noembed><p>hidden",
  "<p>Before</p><noframes>x</noframes><p>After noframes</p>",
  "<p>Before a noframes that never closes</p><noframes><p>hidden",
  "<p>Before</p><xmp><b>Shown as typed</b> &amp; all</xmp><p>After xmp</p>",
  "<p>Before an xmp that never closes</p><xmp>Rest <i>shown</i> as typed",
  "<p>Before</p><style>p { color: red }</style><p>After style</p>",
  "<p>Before a style that never closes</p><style>p {}<p>hidden",
  "<p>Before</p><script>var x = \"</p>\";</script><p>After script</p>",
  "<p>Before a script that never closes</p><script>x()<p>hidden",
  "<p>Before</p><script><!--<script></script>still script--></script><p>After an escaped script</p>",
  "<p>Before</p><textarea>Typed &amp; <b>text</b></textarea><p>After textarea</p>",
  "<p>Before a textarea that never closes</p><textarea>Rest <b>shown</b> in the box",
  "<p>Before</p><title>A title</title><p>After title</p>",
  "<p>Before a title that never closes</p><title>hidden <p>hidden",
  "<p>Before</p><noscript><p>hidden</p></noscript><p>After noscript</p>",
  "a<!-->b<!--->c<!---->d<!-- x --!>e<!-- y ---->f<?php echo 1 ?>g<!bogus>h</ bogus>i<!DOCTYPE html>j",
  "<p>Before</p><plaintext><b>Everything</b> after plaintext </plaintext> is text",
  "<template><p>inert</p><template></template>still inert</template>Shown after templates",
  "<head><p>Head tags in a body are ignored</p></head>",
  "<p title=\"a>b\">Quoted greater-than</p title='>'> after",
  "<p>Caf&eacute; &uuml;ber &iquest;Qu&eacute;? &euro;5 &frac12; &#150; &#147;q&#148; &#x9F; &copy 2025 &notit; &NotEqualTilde; &Zopf; &fjlig;</p>",
];

/** The text a browser shows for `html`, from Chromium's parser, without what the widget's allow-list drops. */
function browserText(html) {
  const dropped = new Set(["SCRIPT", "STYLE", "TITLE", "IFRAME", "NOEMBED", "NOFRAMES", "NOSCRIPT", "TEMPLATE", "svg", "math", "SELECT"]);
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}`, "text/html");
  let text = "";
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) text += child.data;
      else if (child.nodeType === Node.ELEMENT_NODE && !dropped.has(child.tagName)) walk(child);
    }
  };
  walk(doc.body);
  return text;
}

const squeeze = (s) => s.replace(/\s+/g, " ").trim();

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

test("each body shows the text Chromium's parser finds in it", async () => {
  const feed = JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    title: "Bodies",
    items: CASES.map((content_html, i) => ({ id: `c${i}`, title: `Case ${i}`, date_published: "2025-01-01T00:00:00Z", content_html })),
  });
  const { page, context, log } = await openPage(env);
  await page.route((url) => url.pathname === "/bodies.json", (route) => route.fulfill({ body: feed, contentType: "application/json" }));
  // One page; each case is the element's `release` attribute in turn, as a page that switches
  // releases would set it (a page load per case took most of this file's time).
  await page.goto(`${env.url}/embed.html?src=/bodies.json&release=c0`);
  const w = widget(page);
  for (const [i, html] of CASES.entries()) {
    await page.evaluate((id) => document.querySelector("release-embed").setAttribute("release", id), `c${i}`);
    await w.locator(".re-release .re-title", { hasText: new RegExp(`^Case ${i}$`) }).waitFor();
    const body = await releaseBody(w);
    const shown = squeeze(await body.evaluate((el) => el.textContent));
    const expected = squeeze(await page.evaluate(browserText, html));
    assert.equal(shown, expected, `case ${i}: ${html}`);
    assert.equal(await body.locator("script, style, iframe, svg, math, textarea, title").count(), 0, `case ${i}`);
  }
  assert.deepEqual(log.errors, []);
  await context.close();
});
