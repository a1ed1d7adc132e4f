// trustcascade network view (anywidget front end; canvas.py is the Python side).
// Once per society: node positions (float32 x, y in [0, 1]) and the friend and family ties
// (uint32 pairs). Per step: one binary frame (live.py LiveRun.frame) with the node states
// (one byte each, colours from the palette) and the friendships cut and formed.
// Ties are rasterised once into per-pixel counts; a cut or new tie adds -1/+1 along its line,
// so nothing is redrawn from scratch. Nodes are stamped into an ImageData (fast at 50k+).
// After each draw the view sets `ack` to the frame number: Play waits for it.

function bytesOf(value) {
  if (!value) return new Uint8Array(0);
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(0);
}

function typed(value, Type, offset = 0, length = undefined) {
  const all = bytesOf(value);
  const size = Type.BYTES_PER_ELEMENT;
  const count = length === undefined ? Math.floor((all.byteLength - offset) / size) : length;
  const start = all.byteOffset + offset;
  if (start % size === 0) return new Type(all.buffer, start, count);
  return new Type(all.slice(offset, offset + count * size).buffer);
}

function packed(hex, alpha = 255) {  // RGBA bytes as one little-endian uint32
  const r = parseInt(hex.slice(1, 3), 16), g = parseInt(hex.slice(3, 5), 16), b = parseInt(hex.slice(5, 7), 16);
  return ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

function rgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function disc(radius, side) {  // pixel offsets of a filled disc
  const offsets = [];
  for (let dy = -radius; dy <= radius; dy++)
    for (let dx = -radius; dx <= radius; dx++)
      if (dx * dx + dy * dy <= radius * radius + radius) offsets.push(dy * side + dx);
  return Int32Array.from(offsets);
}

function radiusFor(n) {
  return n <= 500 ? 4 : n <= 2000 ? 3 : n <= 12000 ? 2 : 1;
}

function render({ model, el }) {
  const side = model.get("resolution");
  const root = document.createElement("div");
  root.className = `tc-network tc-network-${model.get("view_name")}`;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = side;
  canvas.style.cssText = `width:100%;max-width:${side}px;aspect-ratio:1/1;display:block;` +
    "cursor:crosshair;border:1px solid #ccc;background:#fff";
  const legend = document.createElement("div");
  legend.style.cssText = "display:flex;flex-wrap:wrap;gap:4px 14px;font:12px sans-serif;margin-top:6px";
  for (const [colour, label] of model.get("legend")) {
    const item = document.createElement("span");
    item.innerHTML = `<span style="display:inline-block;width:11px;height:11px;border-radius:50%;` +
      `background:${colour};margin-right:4px;vertical-align:-1px"></span>`;
    item.append(label);
    legend.append(item);
  }
  const caption = document.createElement("div");
  caption.className = "tc-caption";
  caption.style.cssText = "font:bold 13px sans-serif;margin-bottom:4px";
  const png = document.createElement("button");
  png.className = "tc-png";
  png.textContent = "Download PNG";
  png.title = "the network as drawn now, as a PNG image";
  png.style.cssText = "font:12px sans-serif;border:1px solid #999;border-radius:3px;padding:0 6px;cursor:pointer";
  legend.append(png);
  root.append(caption, canvas, legend);
  el.appendChild(root);
  const showCaption = () => {
    caption.textContent = model.get("caption");
    caption.style.display = caption.textContent ? "block" : "none";
  };
  showCaption();

  const ctx = canvas.getContext("2d", { alpha: false });
  const image = ctx.createImageData(side, side);
  const pixels = new Uint32Array(image.data.buffer);
  const background = new Uint32Array(side * side);
  const friendCount = new Uint32Array(side * side);
  const familyCount = new Uint32Array(side * side);
  const tieColours = model.get("tie_colours");
  const margin = 8;
  let colours = model.get("colours").map((c) => packed(c));
  let graphId = -1, n = 0, px = new Int32Array(0), py = new Int32Array(0), state = new Uint8Array(0);
  let small = disc(1, side), large = disc(2, side), radius = 1;
  let friendScale = 1, familyScale = 1, backgroundDirty = true;
  let recentCuts = [], draws = 0, frameId = -1, step = 0, cutsShown = 0, scheduled = false;

  function trace(counts, a, b, delta) {  // Bresenham, always from the lower index: exact undo
    if (a > b) [a, b] = [b, a];
    let x0 = px[a], y0 = py[a];
    const x1 = px[b], y1 = py[b];
    const dx = Math.abs(x1 - x0), dy = -Math.abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      const k = y0 * side + x0;
      if (delta > 0) counts[k] += 1; else if (counts[k] > 0) counts[k] -= 1;
      if (x0 === x1 && y0 === y1) break;
      const e2 = 2 * err;
      if (e2 >= dy) { err += dy; x0 += sx; }
      if (e2 <= dx) { err += dx; y0 += sy; }
    }
  }

  function traceAll(counts, pairs, delta) {
    for (let i = 0; i + 1 < pairs.length; i += 2) trace(counts, pairs[i], pairs[i + 1], delta);
  }

  function meanNonZero(counts) {
    let total = 0, cells = 0;
    for (let k = 0; k < counts.length; k++) if (counts[k]) { total += counts[k]; cells++; }
    return cells ? Math.max(1, total / cells) : 1;
  }

  function loadGraph() {
    const positions = typed(model.get("positions"), Float32Array);
    n = positions.length / 2;
    px = new Int32Array(n);
    py = new Int32Array(n);
    const span = side - 2 * margin - 1;
    for (let i = 0; i < n; i++) {
      px[i] = margin + Math.round(positions[2 * i] * span);
      py[i] = margin + Math.round(positions[2 * i + 1] * span);
    }
    friendCount.fill(0);
    familyCount.fill(0);
    traceAll(friendCount, typed(model.get("friends"), Uint32Array), 1);
    traceAll(familyCount, typed(model.get("family"), Uint32Array), 1);
    friendScale = 2 * meanNonZero(friendCount);
    familyScale = 2 * meanNonZero(familyCount);
    radius = radiusFor(n);
    small = disc(radius, side);
    large = disc(radius + 1, side);
    state = new Uint8Array(n);
    recentCuts = [];
    backgroundDirty = true;
    graphId = model.get("graph_id");
    model.set("selected", -1);
  }

  function paintBackground() {  // white, then friend ties (grey), then family ties (blue)
    const [fr, fg, fb] = rgb(tieColours.friends), [mr, mg, mb] = rgb(tieColours.family);
    const friendAlpha = new Float32Array(1024), familyAlpha = new Float32Array(1024);
    for (let c = 0; c < 1024; c++) {
      friendAlpha[c] = 0.5 * (1 - Math.exp(-c / friendScale));
      familyAlpha[c] = 0.6 * (1 - Math.exp(-c / familyScale));
    }
    for (let k = 0; k < background.length; k++) {
      const f = friendCount[k], m = familyCount[k];
      if (!f && !m) { background[k] = 0xffffffff; continue; }
      const a = friendAlpha[f < 1024 ? f : 1023], b = familyAlpha[m < 1024 ? m : 1023];
      let r = 255 + (fr - 255) * a, g = 255 + (fg - 255) * a, bl = 255 + (fb - 255) * a;
      r += (mr - r) * b; g += (mg - g) * b; bl += (mb - bl) * b;
      background[k] = ((255 << 24) | ((bl & 255) << 16) | ((g & 255) << 8) | (r & 255)) >>> 0;
    }
    backgroundDirty = false;
  }

  function applyFrame() {
    const frame = model.get("frame");
    if (bytesOf(frame).byteLength < 24) return;
    const header = typed(frame, Uint32Array, 0, 6);
    if (model.get("graph_id") !== graphId) loadGraph();
    if (header[1] !== graphId || header[3] !== n) return;  // a frame of an older society
    const padded = Math.ceil(n / 4) * 4;
    state.set(bytesOf(frame).subarray(24, 24 + n));
    const cut = typed(frame, Uint32Array, 24 + padded, 2 * header[4]);
    const formed = typed(frame, Uint32Array, 24 + padded + 8 * header[4], 2 * header[5]);
    traceAll(friendCount, cut, -1);
    traceAll(friendCount, formed, 1);
    for (let i = 0; i + 1 < cut.length; i += 2) recentCuts.push([cut[i], cut[i + 1], draws + 12]);
    cutsShown += header[4];
    if (cut.length || formed.length) backgroundDirty = true;
    frameId = header[0];
    step = header[2];
    schedule();
  }

  function stampNodes(listedPass) {
    const stamp = listedPass ? large : small;
    for (let i = 0; i < n; i++) {
      const s = state[i];
      if (((s & 4) !== 0) !== listedPass) continue;
      const colour = colours[s & 15], base = py[i] * side + px[i];
      for (let o = 0; o < stamp.length; o++) pixels[base + stamp[o]] = colour;
    }
  }

  function draw() {
    scheduled = false;
    if (backgroundDirty) paintBackground();
    pixels.set(background);
    stampNodes(false);
    stampNodes(true);
    ctx.putImageData(image, 0, 0);
    draws += 1;
    recentCuts = recentCuts.filter((c) => c[2] > draws);
    if (recentCuts.length) {
      ctx.strokeStyle = tieColours.cut;
      ctx.lineWidth = 2;
      ctx.setLineDash([5, 3]);
      ctx.beginPath();
      for (const [a, b] of recentCuts) { ctx.moveTo(px[a], py[a]); ctx.lineTo(px[b], py[b]); }
      ctx.stroke();
      ctx.setLineDash([]);
    }
    const selected = model.get("selected");
    if (selected >= 0 && selected < n) {
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(px[selected], py[selected], radius + 5, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (canvas.dataset.firstDraw === undefined) canvas.dataset.firstDraw = String(performance.now());
    canvas.dataset.step = String(step);
    canvas.dataset.frame = String(frameId);
    canvas.dataset.cutsShown = String(cutsShown);
    canvas.dataset.cutsOnScreen = String(recentCuts.length);
    if (model.get("ack") !== frameId) {
      model.set("ack", frameId);
      model.save_changes();
    }
  }

  function schedule() {
    if (!scheduled) { scheduled = true; requestAnimationFrame(draw); }
  }

  canvas.addEventListener("click", (event) => {
    const rect = canvas.getBoundingClientRect();
    const x = (event.clientX - rect.left) * side / rect.width, y = (event.clientY - rect.top) * side / rect.height;
    let best = -1, bestDistance = Math.max(64, (3 * radius) ** 2);
    for (let i = 0; i < n; i++) {
      const d = (px[i] - x) ** 2 + (py[i] - y) ** 2;
      if (d < bestDistance) { bestDistance = d; best = i; }
    }
    model.set("selected", best);
    model.save_changes();
    schedule();
  });

  png.addEventListener("click", () => canvas.toBlob((blob) => {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `${model.get("file_stem")}-step-${step}.png`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }, "image/png"));

  // for tests and the benchmark: where each node is drawn, and what it is
  root.tcView = { pixel: (i) => [px[i], py[i]], count: () => n, state: () => state.slice(), side,
    cuts: () => recentCuts.map((c) => [c[0], c[1]]) };
  model.on("change:frame", applyFrame);
  model.on("change:selected", schedule);
  model.on("change:caption", showCaption);
  model.on("change:colours", () => { colours = model.get("colours").map((c) => packed(c)); schedule(); });
  applyFrame();
  return () => {
    model.off("change:frame", applyFrame);
    model.off("change:selected", schedule);
    model.off("change:caption", showCaption);
  };
}

export default { render };
