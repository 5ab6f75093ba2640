/**
 * The HTML report's only stylesheet, inline: light and dark (prefers-color-scheme), narrow screens first,
 * long values wrap rather than widen the page. No fonts or images are fetched.
 */
export const HTML_REPORT_STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--skip:#59636e;--block:#9a6700;--s0:#0969da;--s1:#8250df;--s2:#bc4c00;--s3:#1b7c83}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--panel:#151b23;--pass:#3fb950;--fail:#ff7b72;--skip:#9198a1;--block:#d29922;--s0:#4493f8;--s1:#ab7df8;--s2:#f0883e;--s3:#39c5cf}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.page{max-width:64rem;margin:0 auto;padding:1rem}
a{color:var(--s0)}
:focus-visible{outline:2px solid var(--s0);outline-offset:2px}
h1{font-size:1.45rem;margin:.25rem 0 .5rem}
h2{font-size:1.2rem;border-bottom:1px solid var(--line);padding-bottom:.25rem;margin:2rem 0 .75rem}
h3{font-size:1rem;margin:0 0 .25rem;display:flex;flex-wrap:wrap;gap:.25rem .5rem;align-items:baseline}
code,pre,.hdrs{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
p,li,dd,td,th,h1,h3,code,pre,.hdrs,blockquote{overflow-wrap:break-word}
table.log td{overflow-wrap:anywhere}
pre{white-space:pre-wrap;background:var(--panel);padding:.5rem;border-radius:4px;margin:.25rem 0}
p{margin:.35rem 0}
.verdict{font-size:1.1rem;font-weight:600}
.verdict.failed{color:var(--fail)}.verdict.passed{color:var(--pass)}
dl.settings{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}
dl.settings dt,dl.exchange dt,dl.outcome dt{font-weight:600}
dl.settings dd,dl.exchange dd,dl.outcome dd{margin:0}
dl.exchange,dl.outcome{margin:.5rem 0}
dl.exchange dd,dl.outcome dd{margin-left:1rem}
.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.8rem;font-weight:600;border:1px solid currentColor;white-space:nowrap}
.b-passed{color:var(--pass)}.b-failed{color:var(--fail)}.b-skipped{color:var(--skip)}.b-blocked{color:var(--block)}
.counts{border-collapse:collapse;margin:.5rem 0}
.counts th,.counts td{padding:.2rem .75rem .2rem 0;border:0}
ol.toc{padding-left:1.5rem;margin:.25rem 0}
ol.toc li{margin:.15rem 0}
.check{border:1px solid var(--line);border-left:4px solid var(--skip);border-radius:6px;padding:.75rem;margin:1rem 0}
.check.failed{border-left-color:var(--fail)}.check.passed{border-left-color:var(--pass)}.check.blocked{border-left-color:var(--block)}
.check .title{margin:.1rem 0 .5rem}
blockquote{margin:.25rem 0 .5rem;padding:.1rem .75rem;border-left:3px solid var(--line);color:var(--muted)}
.failure{border:1px solid var(--fail);border-radius:4px;padding:.5rem;margin:.5rem 0}
.note,.hdrs{display:block}
.hdrs{white-space:pre-line}
.note{color:var(--muted);font-size:.8rem}
figure{margin:.5rem 0}
figcaption{font-size:.8rem;color:var(--muted)}
.chart{display:block;width:100%;max-width:36rem;height:auto}
.chart .axis,.chart .tick{stroke:var(--muted)}
.chart .grid{stroke:var(--line);stroke-dasharray:2 3}
.chart .label{fill:var(--muted);font:10px system-ui,sans-serif}
.series{fill:none;stroke-width:1.5}
.series.s0{stroke:var(--s0)}.series.s1{stroke:var(--s1);stroke-dasharray:5 2}.series.s2{stroke:var(--s2);stroke-dasharray:2 2}.series.s3{stroke:var(--s3);stroke-dasharray:6 2 1 2}
.dots{fill:none;stroke-width:5.6;stroke-linecap:round}
.dots.s0{stroke:var(--s0)}.dots.s1{stroke:var(--s1)}.dots.s2{stroke:var(--s2)}.dots.s3{stroke:var(--s3)}
.dots.none{stroke:var(--muted);stroke-width:5;stroke-linecap:square}
.rule{stroke:var(--fail);stroke-opacity:.4;stroke-width:2}
.reject{stroke:var(--fail);stroke-width:2.2;fill:none;stroke-linecap:round}
.gap{stroke:var(--muted);stroke-dasharray:3 2}
.legend{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.1rem 1rem}
.swatch{width:16px;height:10px;vertical-align:middle}
details.requests{margin:.5rem 0}
details.requests summary{cursor:pointer;font-weight:600}
.scroll{overflow-x:auto}
table.log{border-collapse:collapse;width:100%;font-size:.8rem}
table.log caption{text-align:left;color:var(--muted);padding:.25rem 0}
table.log td{width:50%}
table.log th,table.log td{border-top:1px solid var(--line);padding:.3rem .35rem;text-align:left;vertical-align:top}
table.log tr.rejected{background:color-mix(in srgb,var(--fail) 12%,transparent)}
table.log tr.gap td{text-align:center;color:var(--muted)}
strong.rejected{color:var(--fail)}
@media (max-width:40rem){.page{padding:.6rem}dl.settings{grid-template-columns:1fr}dl.settings dd{margin-left:1rem}table.log th,table.log td{padding:.25rem .2rem}}
`.trim();
