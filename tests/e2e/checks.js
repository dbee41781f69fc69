// What every screen must hold at every size, checked in the page rather than by eye: the window
// fits the screen, nothing spills out of the page, no number is cut off (clipped by a box that
// hides its overflow, or ended with an ellipsis), and the stage names on the map are drawn large
// enough to read.

/** Runs in the page. Returns what is wrong, as sentences; empty when all is well. */
const LAYOUT_PROBLEMS = () => {
  const problems = [];
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  if (window.outerWidth > screen.availWidth + 1 || window.outerHeight > screen.availHeight + 1) {
    problems.push(`the window (${window.outerWidth}x${window.outerHeight}) is larger than the screen (${screen.availWidth}x${screen.availHeight})`);
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > vw + 1 || doc.scrollHeight > vh + 1) problems.push(`the page scrolls: ${doc.scrollWidth}x${doc.scrollHeight} in ${vw}x${vh}`);
  const shown = (el) => {
    const cs = getComputedStyle(el);
    return cs.display !== "none" && cs.visibility !== "hidden" && Number(cs.opacity) > 0.05 && el.getClientRects().length > 0;
  };
  const label = (el) => {
    const id = el.closest("[data-testid]")?.getAttribute("data-testid");
    return `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""}${id ? ` in [${id}]` : ""}`;
  };
  // Names may be shortened (the full name is in the tooltip); figures never.
  const NAMES = ".title strong, .chip .label, .pbc-card .name, .tab, option, select, .name, .bar-name, .docname, .map-label, .kpi.bottleneck, .unsaved-list .name, input, textarea, .react-flow__attribution, .sim-stage-name, .template .desc";
  const inMap = (el) => el.closest(".react-flow__viewport");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const t = walker.currentNode;
    if (!/\d/.test(t.data)) continue;
    const el = t.parentElement;
    if (!el || seen.has(el) || !shown(el) || el.closest(NAMES)) continue;
    seen.add(el);
    const range = document.createRange();
    range.selectNodeContents(t);
    const r = range.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // a figure ("18.75 h", "EUR 1,604,456") reads as one piece: never broken over two lines
    const figure = /^[−+\-]?(EUR |USD |GBP )?[−\-]?[\d.,]+( ?[a-zA-Z%]{1,5})?$/.test(t.data.trim());
    const lines = new Set([...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
    if (figure && lines.size > 1) problems.push(`“${t.data.trim()}” breaks over ${lines.size} lines (${label(el)})`);
    // a figure scrolled or panned out of sight is not cut; one cut by its own box is
    const stop = inMap(el) ? el.closest(".react-flow__node") : null;
    for (let a = el; a && a !== document.body && a !== stop?.parentElement; a = a.parentElement) {
      const cs = getComputedStyle(a);
      const ellipsis = cs.textOverflow === "ellipsis" && a.scrollWidth > a.clientWidth + 1;
      const hides = ["hidden", "clip"].includes(cs.overflowX) || ["hidden", "clip"].includes(cs.overflowY);
      // a box that scrolls lets the figure be reached: scrolled out of sight is not cut
      const scrolls = ["auto", "scroll"].includes(cs.overflowX) || ["auto", "scroll"].includes(cs.overflowY);
      if (ellipsis) {
        problems.push(`“${t.data.trim()}” is cut with an ellipsis (${label(a)})`);
        break;
      }
      if (scrolls && !ellipsis) break;
      if (hides && !a.classList.contains("react-flow") && !a.classList.contains("react-flow__renderer")) {
        const b = a.getBoundingClientRect();
        if (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1) {
          // a box that scrolls (the table around it) lets the figure be reached; only a hidden one cuts
          problems.push(`“${t.data.trim()}” is cut off by ${label(a)}`);
          break;
        }
      }
      if (a === stop) break;
    }
  }
  // Nothing outside the window, except inside a box that scrolls or the map's canvas.
  for (const el of document.querySelectorAll("body *")) {
    if (!shown(el) || inMap(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1) continue;
    let contained = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX !== "visible") {
        contained = true;
        break;
      }
    }
    if (!contained) problems.push(`${label(el)} reaches ${Math.round(r.right)} px, past the window's ${vw} px`);
  }
  return [...new Set(problems)].slice(0, 20);
};

/** Runs in the page: the smallest size a stage name on the map is drawn at, in pixels, over the
 * stages in sight (font size times the map's zoom), and the zoom. */
const STAGE_NAME_SIZES = () => {
  const vp = document.querySelector(".react-flow__viewport");
  const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
  if (!vp || !pane) return null;
  const zoom = new DOMMatrixReadOnly(getComputedStyle(vp).transform).a;
  const sizes = [];
  for (const el of document.querySelectorAll(".react-flow__node .title strong")) {
    const r = el.getBoundingClientRect();
    if (r.right < pane.left || r.left > pane.right || r.bottom < pane.top || r.top > pane.bottom) continue;
    sizes.push(parseFloat(getComputedStyle(el).fontSize) * zoom);
  }
  return { zoom, min: sizes.length ? Math.min(...sizes) : null, count: sizes.length };
};

/** Runs in the page: the size a map handle is drawn at, in pixels. */
const HANDLE_SIZE = () => {
  const h = document.querySelector(".react-flow__node .react-flow__handle");
  if (!h) return null;
  const r = h.getBoundingClientRect();
  return Math.min(r.width, r.height);
};

export async function layoutProblems(app) {
  return app.execute(LAYOUT_PROBLEMS);
}

export async function stageNameSizes(app) {
  return app.execute(STAGE_NAME_SIZES);
}

export async function handleSize(app) {
  return app.execute(HANDLE_SIZE);
}
