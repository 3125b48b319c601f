"""A photo with named points on it that the learner drags with the mouse.

:class:`PointCanvas` is a small `anywidget <https://anywidget.dev>`_ widget.
The photo goes to the browser once, as JPEG; the points are drawn over it as
SVG in the browser, so dragging a point redraws only the overlay, at screen
speed, with no round trip to the kernel. When the mouse button is released
the new position is sent back and ``points`` changes in Python.

In the browser: press on a point (or near it) and drag it; or click anywhere
to send the selected point there. The arrow keys nudge the selected point by
one pixel (ten with Shift). Points listed in ``guesses`` are drawn as rings
(the detector could not see them well). When ``faces`` holds more than one
box, each face is outlined and a click inside another face's box chooses it
(``face`` changes) instead of moving a point.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = r"""
const SVG = "http://www.w3.org/2000/svg";
const COLOURS = { left: "#00e5ff", right: "#ff3bd4", middle: "#ffffff", selected: "#ffd400" };
const HIT = 14;  // how near, in screen pixels, a press must be to grab a point

function side(name) {
  if (name.startsWith("left") || name === "mouth_left") return "left";
  if (name.startsWith("right") || name === "mouth_right") return "right";
  return "middle";
}

function render({ model, el }) {
  el.classList.add("pl-point-canvas");
  const frame = document.createElement("div");
  frame.className = "pl-point-frame";
  frame.tabIndex = 0;
  frame.setAttribute("data-lm-suppress-shortcuts", "true");  // arrow keys move points, not cells
  const img = document.createElement("img");
  img.className = "pl-point-photo";
  img.alt = "the photo to place points on";
  img.draggable = false;
  const svg = document.createElementNS(SVG, "svg");
  svg.classList.add("pl-point-overlay");
  frame.append(img, svg);
  el.append(frame);

  let points = {};
  let dragging = null;
  let url = null;

  function size() { return model.get("image_size") || [1, 1]; }
  function view() {  // the part of the photo shown: [x, y, width, height]
    const [w, h] = size();
    const v = model.get("view");
    return v && v.length === 4 && v[2] > 0 && v[3] > 0 ? v : [0, 0, w, h];
  }
  function screenScale() {
    const box = svg.getBoundingClientRect();
    return box.width > 0 ? box.width / view()[2] : 1;
  }
  function toImage(event) {
    const box = svg.getBoundingClientRect();
    const [w, h] = size();
    const [vx, vy, vw, vh] = view();
    const x = vx + (event.clientX - box.left) / box.width * vw;
    const y = vy + (event.clientY - box.top) / box.height * vh;
    return [Math.min(Math.max(x, 0), w), Math.min(Math.max(y, 0), h)];
  }
  function nearest(xy) {
    const reach = HIT / screenScale();
    let best = null, bestDistance = reach;
    for (const [name, [x, y]] of Object.entries(points)) {
      const d = Math.hypot(x - xy[0], y - xy[1]);
      if (d <= bestDistance) { best = name; bestDistance = d; }
    }
    return best;
  }

  function showImage() {
    const data = model.get("image");
    if (url) URL.revokeObjectURL(url);
    url = data && data.byteLength ? URL.createObjectURL(new Blob([data], { type: "image/jpeg" })) : null;
    if (url) img.src = url; else img.removeAttribute("src");
    showView();
  }

  function showView() {
    // Show only the view: the frame has the view's shape and the photo is
    // scaled and shifted inside it, so zooming costs no new image.
    const [w, h] = size();
    const [vx, vy, vw, vh] = view();
    svg.setAttribute("viewBox", `${vx} ${vy} ${vw} ${vh}`);
    frame.style.aspectRatio = `${vw} / ${vh}`;
    Object.assign(img.style, {
      width: `${100 * w / vw}%`, height: `${100 * h / vh}%`,
      left: `${-100 * vx / vw}%`, top: `${-100 * vy / vh}%`,
    });
    draw();
  }

  function line(names, closed) {
    const xy = names.filter((n) => n in points).map((n) => points[n].join(","));
    if (xy.length < 2) return;
    const shape = document.createElementNS(SVG, closed ? "polygon" : "polyline");
    shape.setAttribute("points", xy.join(" "));
    shape.setAttribute("class", "pl-point-line");
    svg.append(shape);
  }

  function draw() {
    points = Object.fromEntries(Object.entries(model.get("points") || {}).map(([k, v]) => [k, [...v]]));
    redraw();
  }

  function redraw() {
    svg.replaceChildren();
    const scale = screenScale();
    const selected = model.get("selected");
    for (const s of ["left", "right"]) {
      line([`${s}_eye_outer`, `${s}_upper_lid`, `${s}_eye_inner`, `${s}_lower_lid`], true);
    }
    line(["left_brow_outer", "left_brow_middle", "left_brow_inner"], false);
    line(["right_brow_inner", "right_brow_middle", "right_brow_outer"], false);
    line(["mouth_left", "upper_lip", "mouth_right", "lower_lip"], true);
    const faces = model.get("faces") || [];
    if (faces.length > 1) {
      faces.forEach(([x, y, w, h], i) => {
        const box = document.createElementNS(SVG, "rect");
        Object.entries({ x, y, width: w, height: h }).forEach(([k, v]) => box.setAttribute(k, v));
        box.setAttribute("class", "pl-face-box" + (i === model.get("face") ? " pl-face-chosen" : ""));
        box.setAttribute("data-face", i);
        svg.append(box);
        const number = document.createElementNS(SVG, "text");
        number.textContent = i === model.get("face") ? `${i + 1} (in use)` : `${i + 1}: click to use`;
        number.setAttribute("x", x + 4 / scale);
        number.setAttribute("y", y - 6 / scale);
        number.setAttribute("font-size", 14 / scale);
        number.setAttribute("class", "pl-point-label pl-face-label");
        svg.append(number);
      });
    }
    const guesses = new Set(model.get("guesses") || []);
    const order = Object.keys(points).sort((a, b) => (a === selected) - (b === selected));
    for (const name of order) {
      const [x, y] = points[name];
      const isSelected = name === selected;
      const dot = document.createElementNS(SVG, "circle");
      dot.setAttribute("cx", x);
      dot.setAttribute("cy", y);
      dot.setAttribute("r", (isSelected ? 7 : 4.5) / scale);
      const colour = isSelected ? COLOURS.selected : COLOURS[side(name)];
      const guess = guesses.has(name);
      dot.setAttribute("fill", guess ? "none" : colour);
      if (guess) dot.setAttribute("style", `stroke: ${colour}; stroke-width: 2.5px`);
      dot.setAttribute("class", "pl-point" + (isSelected ? " pl-point-selected" : "") + (guess ? " pl-point-guess" : ""));
      dot.setAttribute("data-name", name);
      svg.append(dot);
      if (isSelected) {
        const label = document.createElementNS(SVG, "text");
        label.textContent = (model.get("labels") || {})[name] || name;
        label.setAttribute("x", x + 10 / scale);
        label.setAttribute("y", y - 10 / scale);
        label.setAttribute("font-size", 14 / scale);
        label.setAttribute("class", "pl-point-label");
        svg.append(label);
      }
    }
  }

  function send(name) {
    model.set("points", Object.fromEntries(Object.entries(points).map(([k, v]) => [k, [...v]])));
    model.set("selected", name);
    model.save_changes();
  }

  function faceAt(xy) {  // another face's box under the pointer, when there are several
    const faces = model.get("faces") || [];
    if (faces.length < 2) return -1;
    return faces.findIndex(([x, y, w, h], i) =>
      i !== model.get("face") && xy[0] >= x && xy[0] <= x + w && xy[1] >= y && xy[1] <= y + h);
  }

  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || !Object.keys(points).length) return;
    event.preventDefault();
    frame.focus({ preventScroll: true });
    const xy = toImage(event);
    const other = faceAt(xy);
    if (other >= 0) { model.set("face", other); model.save_changes(); return; }
    dragging = nearest(xy) || model.get("selected");
    if (!(dragging in points)) { dragging = null; return; }
    points[dragging] = xy;
    model.set("selected", dragging);
    svg.setPointerCapture(event.pointerId);
    redraw();
  });
  svg.addEventListener("pointermove", (event) => {
    if (!dragging) return;
    points[dragging] = toImage(event);
    redraw();
  });
  const finish = (event) => {
    if (!dragging) return;
    const name = dragging;
    dragging = null;
    if (svg.hasPointerCapture(event.pointerId)) svg.releasePointerCapture(event.pointerId);
    send(name);
  };
  svg.addEventListener("pointerup", finish);
  svg.addEventListener("pointercancel", finish);

  frame.addEventListener("keydown", (event) => {
    const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[event.key];
    const name = model.get("selected");
    if (!step || !(name in points)) return;
    event.preventDefault();
    event.stopPropagation();
    const [w, h] = size();
    const by = event.shiftKey ? 10 : 1;
    const [x, y] = points[name];
    points[name] = [Math.min(Math.max(x + step[0] * by, 0), w), Math.min(Math.max(y + step[1] * by, 0), h)];
    redraw();
    send(name);
  });

  const resize = new ResizeObserver(() => redraw());
  resize.observe(svg);
  model.on("change:image", showImage);
  model.on("change:image_size", showImage);
  model.on("change:view", showView);
  model.on("change:points", () => { if (!dragging) draw(); });
  model.on("change:selected", () => { if (!dragging) redraw(); });
  for (const key of ["guesses", "faces", "face"]) model.on(`change:${key}`, () => { if (!dragging) redraw(); });
  showImage();
  return () => { resize.disconnect(); if (url) URL.revokeObjectURL(url); };
}

export default { render };
"""

_CSS = """
.pl-point-frame { position: relative; display: block; max-width: 100%; max-height: 640px;
  margin: 0 auto; outline: none; user-select: none; touch-action: none; line-height: 0;
  overflow: hidden; background: #222; }
.pl-point-frame:focus-visible { box-shadow: 0 0 0 3px #ffd400; }
.pl-point-photo { position: absolute; display: block; max-width: none; }
.pl-point-overlay { position: absolute; inset: 0; width: 100%; height: 100%; cursor: crosshair; overflow: visible; }
.pl-point { stroke: #000; stroke-width: 1.2px; vector-effect: non-scaling-stroke; }
.pl-point-line { fill: none; stroke: rgba(255, 255, 255, 0.75); stroke-width: 1.2px;
  vector-effect: non-scaling-stroke; }
.pl-face-box { fill: rgba(255, 255, 255, 0.06); stroke: #fff; stroke-width: 2px; stroke-dasharray: 6 4;
  vector-effect: non-scaling-stroke; cursor: pointer; }
.pl-face-chosen { fill: none; stroke: #ffd400; stroke-dasharray: none; }
.pl-point-label { fill: #ffd400; stroke: #000; stroke-width: 3px; paint-order: stroke;
  vector-effect: non-scaling-stroke; font-family: sans-serif; font-weight: bold; pointer-events: none; }
"""


class PointCanvas(anywidget.AnyWidget):
    """A JPEG photo with draggable named points drawn over it.

    Traits (synced with the browser)
    --------------------------------
    image : bytes
        The photo as JPEG.
    image_size : list of int
        ``[width, height]`` of that photo in pixels: the points' coordinate system.
    points : dict of str to [x, y]
        The points; the browser writes it when a drag ends or a key nudges a point.
    view : list of float
        ``[x, y, width, height]``: the part of the photo shown (a zoom), in
        photo pixels; empty for the whole photo.
    selected : str
        The point that a click moves (and that is drawn larger, with its label).
    labels : dict of str to str
        Words shown beside the selected point.
    guesses : list of str
        Points drawn as rings: guesses the learner should check.
    faces : list of [x, y, width, height]
        Boxes of the faces found; outlined when there are several.
    face : int
        The face in use; the browser sets it when another face is clicked.

    Examples
    --------
    >>> canvas = PointCanvas(image_size=[100, 80], points={"nose_tip": [50.0, 40.0]})
    >>> canvas.points["nose_tip"]
    [50.0, 40.0]
    """

    _esm = _ESM
    _css = _CSS
    image = traitlets.Bytes(b"").tag(sync=True)
    image_size = traitlets.List(traitlets.Int(), [1, 1]).tag(sync=True)
    points = traitlets.Dict().tag(sync=True)
    view = traitlets.List(traitlets.Float(), []).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    guesses = traitlets.List(traitlets.Unicode()).tag(sync=True)
    faces = traitlets.List(traitlets.List(traitlets.Float())).tag(sync=True)
    face = traitlets.Int(0).tag(sync=True)

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"PointCanvas({len(self.points)} points, selected={self.selected!r})"
