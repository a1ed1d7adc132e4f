// trustcascade classroom: helpers shared by the student, teacher and projector pages.
// Pages poll the server once a second, so a restarted server is picked up on its own.

export const params = new URLSearchParams(location.search);

export async function api(path, body) {
  const options = body === undefined ? {} : { method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" } };
  const answer = await fetch(path, options);
  const data = await answer.json().catch(() => ({ error: `server: answer ${answer.status}` }));
  if (!answer.ok) { const e = new Error(data.error || `server: answer ${answer.status}`); e.status = answer.status; throw e; }
  return data;
}

export function poll(load, interval = 1000) {  // keeps trying after errors (server restarts)
  let stopped = false;
  async function loop() {
    while (!stopped) {
      try { await load(); setStatus(""); } catch (e) { if (e.status) setStatus(e.message); else setStatus("reconnecting..."); }
      await new Promise((r) => setTimeout(r, interval));
    }
  }
  loop();
  return () => { stopped = true; };
}

export function setStatus(text) {
  const node = document.getElementById("status");
  if (node && node.textContent !== text) node.textContent = text;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "on") for (const [ev, f] of Object.entries(v)) node.addEventListener(ev, f);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

export function fill(id, ...children) {
  const node = document.getElementById(id);
  node.replaceChildren(...children.flat());
  return node;
}

// A stand-in for an anywidget model, so the app's widget front ends draw here unchanged.
export function widgetModel(values) {
  const handlers = {};
  return {
    get: (k) => values[k],
    set: (k, v) => { values[k] = v; },
    save_changes() {},
    on(event, f) { (handlers[event] ||= []).push(f); },
    off(event, f) { handlers[event] = (handlers[event] || []).filter((g) => g !== f); },
    update(changes) {
      Object.assign(values, changes);
      for (const k of Object.keys(changes)) for (const f of handlers[`change:${k}`] || []) f();
    },
  };
}
