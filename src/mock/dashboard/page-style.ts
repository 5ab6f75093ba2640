/**
 * The dashboard's stylesheet (inline, allowed by its hash in the page's CSP): the HTML report's palette,
 * light and dark (prefers-color-scheme), narrow screens first; long keys and paths wrap instead of widening
 * the page. Outcomes differ in shape as well as colour: accepted a full bar, rejected a short bar with a
 * cap, exempt an outline.
 */
export const PAGE_STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--link:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--panel:#151b23;--ok:#3fb950;--bad:#ff7b72;--warn:#d29922;--link:#4493f8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.page{max-width:72rem;margin:0 auto;padding:.75rem 1rem}
header.page{border-bottom:1px solid var(--line)}
:focus-visible{outline:2px solid var(--link);outline-offset:2px}
h1{font-size:1.35rem;margin:.25rem 0}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:.95rem;margin:0 0 .25rem;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
p{margin:.3rem 0}
h1,h3,p,li,td,dd,code,pre{overflow-wrap:anywhere}
code,pre,time{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
pre{white-space:pre-wrap;background:var(--panel);padding:.5rem;border-radius:4px}
.note,.conn{color:var(--muted);font-size:.85rem}
.conn.live{color:var(--ok)}.conn.live::before{content:"● " / ""}.conn.down{color:var(--bad)}
.status{min-height:1.5em;font-weight:600}
.error{color:var(--bad)}
.controls{display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:end;margin:.5rem 0}
.controls form,.field{display:flex;flex-wrap:wrap;gap:.25rem .5rem;align-items:center;margin:0}
label{font-size:.85rem;font-weight:600}
input,select,button{font:inherit;font-size:.9rem;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.3rem .5rem;max-width:100%}
input[type=number]{width:6.5rem}
button{background:var(--panel);cursor:pointer}
button:hover{border-color:var(--muted)}
button.danger{color:var(--bad)}
.clock{font-size:1.05rem}
.clock strong{margin-right:.5rem}
ul.keys{list-style:none;padding:0;margin:.5rem 0;display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,17rem),1fr));gap:.75rem}
li.key{border:1px solid var(--line);border-left:4px solid var(--ok);border-radius:6px;padding:.5rem .6rem;display:flex;flex-direction:column;gap:.2rem;min-width:0}
li.key.spent{border-left-color:var(--bad)}
.limit{display:flex;flex-wrap:wrap;gap:.1rem .5rem;align-items:center}
meter{width:8rem;max-width:100%;height:.9rem}
.left{font-weight:600}
.timeline{display:flex;align-items:flex-end;gap:2px;height:1.6rem;padding:2px 0;border-bottom:1px solid var(--line);overflow:hidden}
.mark{flex:0 0 6px;height:100%;border-radius:1px;background:var(--ok)}
.mark.rejected{height:55%;background:var(--bad);border-top:3px solid var(--fg)}
.mark.exempt{height:70%;background:transparent;border:1px solid var(--muted)}
.mark.scripted{outline:1px dotted var(--warn);outline-offset:1px}
.legend{display:flex;flex-wrap:wrap;gap:.2rem 1rem;list-style:none;padding:0;margin:.25rem 0;font-size:.85rem;color:var(--muted)}
.legend .mark{display:inline-block;width:6px;height:.9rem;vertical-align:middle;margin-right:.3rem}
li.key button{align-self:flex-start;font-size:.8rem;padding:.15rem .5rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}
caption{text-align:left;color:var(--muted);padding:.25rem 0}
th,td{border-top:1px solid var(--line);padding:.25rem .4rem;text-align:left;vertical-align:top}
tr.rejected td{background:color-mix(in srgb,var(--bad) 12%,transparent)}
tr.exempt td{color:var(--muted)}
ul.faults{padding-left:1.25rem}
fieldset{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.5rem .75rem;min-width:0}
legend{font-weight:600;padding:0 .25rem}
dl.policy{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}
dl.policy dt{font-weight:600}
dl.policy dd{margin:0}
dl.policy ul{margin:0;padding-left:1.1rem}
@media (min-width:64rem){
.cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,22rem);grid-template-rows:auto 1fr;gap:0 2rem;align-items:start}
#main{grid-column:1;grid-row:1/span 2}#clock{grid-column:2;grid-row:1}#side{grid-column:2;grid-row:2}
}
[hidden]{display:none!important}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
@media (max-width:40rem){
.page{padding:.5rem .6rem}
dl.policy{grid-template-columns:1fr}dl.policy dd{margin-left:.75rem}
table thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
table,caption,tbody,tr,td{display:block;width:100%}
tr{border-top:1px solid var(--line);padding:.25rem 0}
td{border:0;padding:.05rem .2rem}
td::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}
}
`.trim();
