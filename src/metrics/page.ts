/**
 * The status page at /: one self-contained HTML document (no external scripts, styles or fonts, so it
 * works on a director without internet access) that fetches /status.json every 2 seconds and redraws the
 * cluster view keepalived's web monitor, Piranha and clustat gave: VRRP per instance, services, real servers
 * with health and rates, recent transitions. Every value is inserted as text (textContent), never as HTML.
 */
export const STATUS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lvsd status</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#222;background:#fafafa}
h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.2em 0 .4em}
table{border-collapse:collapse;margin-bottom:.8em;min-width:40em}
th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left}th{background:#eee}
tr.svc td{background:#e8eef8;font-weight:600}
.up{background:#d4f4d4}.down{background:#f8d0d0}.absent{background:#eee;color:#777}
.MASTER{background:#d4f4d4}.BACKUP{background:#e8eef8}.FAULT{background:#f8d0d0}.INIT{background:#eee}
#error{color:#b00}
</style></head>
<body>
<h1>lvsd</h1><div id="meta"></div><div id="error"></div>
<h2>VRRP</h2><table id="vrrp"><thead><tr><th>instance</th><th>interface</th><th>VRID</th><th>state</th><th>priority</th><th>VIPs</th><th>adverts in/out</th><th>became master</th></tr></thead><tbody></tbody></table>
<h2>Services</h2><table id="services"><thead><tr><th>service / real server</th><th>scheduler / forward</th><th>weight</th><th>health</th><th>active</th><th>inactive</th><th>conn/s</th><th>in B/s</th><th>out B/s</th></tr></thead><tbody></tbody></table>
<h2>Recent transitions</h2><table id="transitions"><thead><tr><th>time</th><th>kind</th><th>what</th><th>from</th><th>to</th></tr></thead><tbody></tbody></table>
<script>
"use strict";
function row(cells, cls) {
  var tr = document.createElement("tr");
  if (cls) tr.className = cls;
  cells.forEach(function (c) { var td = document.createElement("td"); td.textContent = c === null || c === undefined ? "" : String(c); tr.appendChild(td); });
  return tr;
}
function fill(id, rows) {
  var body = document.querySelector("#" + id + " tbody");
  body.replaceChildren.apply(body, rows);
}
function svcName(s) { return s.proto === "FWM" ? "FWM " + s.fwmark : s.proto + " " + (s.address.indexOf(":") >= 0 ? "[" + s.address + "]" : s.address) + ":" + s.port; }
function rsName(r) { return (r.address.indexOf(":") >= 0 ? "[" + r.address + "]" : r.address) + ":" + r.port; }
function health(r) {
  if (!r.inTable) return r.health && r.health.alive ? "up (not in table)" : "down (removed)";
  if (!r.health) return "not checked";
  return r.health.alive ? "up" : "down";
}
function draw(d) {
  document.getElementById("meta").textContent = "version " + d.version + ", " + d.plane + " plane, started " + d.startedAt + ", updated " + d.now;
  fill("vrrp", (d.vrrp || []).map(function (i) {
    return row([i.name, i.interface, i.vrid, i.state, i.priority, i.vips.join(" "), i.advertsReceived + "/" + i.advertsSent, i.becomeMaster], i.state);
  }));
  var rows = [];
  d.services.forEach(function (s) {
    var tr = row([svcName(s), s.scheduler + (s.persistence ? " persistent " + s.persistence + "s" : ""), "", s.quorumUp === null ? "" : s.quorumUp ? "quorum up" : "quorum down", "", "", s.rates.cps, s.rates.inBps, s.rates.outBps], "svc");
    tr.dataset.service = svcName(s);
    rows.push(tr);
    s.realServers.forEach(function (r) {
      var h = health(r);
      var tr = row(["  " + rsName(r), r.forward, r.weight, h, r.activeConns, r.inactConns, r.rates ? r.rates.cps : "", r.rates ? r.rates.inBps : "", r.rates ? r.rates.outBps : ""],
        !r.inTable ? "absent" : r.health && !r.health.alive ? "down" : "up");
      tr.dataset.rs = rsName(r);
      rows.push(tr);
    });
  });
  fill("services", rows);
  fill("transitions", d.transitions.slice().reverse().map(function (t) { return row([t.at, t.kind, t.subject, t.from, t.to]); }));
}
function tick() {
  fetch("status.json", { cache: "no-store" }).then(function (r) {
    if (!r.ok) throw new Error("status.json: HTTP " + r.status);
    return r.json();
  }).then(function (d) { document.getElementById("error").textContent = ""; draw(d); },
    function (e) { document.getElementById("error").textContent = "cannot reach lvsd: " + e.message; });
}
tick();
setInterval(tick, 2000);
</script>
</body></html>
`;
