/**
 * The menu's image, scaled to fit, with its tap areas on top: drag on the image to draw a new
 * area (mouse, pen or finger: pointer events), drag an area to move it, drag its corners to
 * resize it. Everything is kept in the image's own pixels (LINE's coordinates) and inside the image.
 */
import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { RichMenuArea } from '../../api/richmenus';

type Box = RichMenuArea['bounds'];
type Corner = 'nw' | 'ne' | 'sw' | 'se';

/** Areas smaller than this (image pixels) are taken for a click, not a drawing. */
const MIN_DRAWN = 40;

type Drag =
  | { kind: 'draw'; startX: number; startY: number; box: Box }
  | { kind: 'move'; index: number; startX: number; startY: number; from: Box }
  | { kind: 'resize'; index: number; corner: Corner; from: Box };

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** The rectangle between two points, whole pixels, inside the image. */
function between(ax: number, ay: number, bx: number, by: number, w: number, h: number): Box {
  const x1 = clamp(Math.round(Math.min(ax, bx)), 0, w);
  const y1 = clamp(Math.round(Math.min(ay, by)), 0, h);
  const x2 = clamp(Math.round(Math.max(ax, bx)), 0, w);
  const y2 = clamp(Math.round(Math.max(ay, by)), 0, h);
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

const pct = (v: number, of: number) => `${(v / of) * 100}%`;

export function AreaCanvas(props: {
  width: number;
  height: number;
  imageUrl: string | null;
  areas: RichMenuArea[];
  selected: number | null;
  /** False when no more areas may be drawn (the limit). */
  canAdd: boolean;
  onSelect: (index: number | null) => void;
  /** A new area drawn on the image. */
  onDraw: (box: Box) => void;
  /** An area moved or resized. */
  onBox: (index: number, box: Box) => void;
}) {
  const { width: w, height: h } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);

  /** The pointer in the image's pixels. */
  const at = (e: { clientX: number; clientY: number }) => {
    const r = ref.current!.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * w, y: ((e.clientY - r.top) / r.height) * h };
  };

  const start = (e: ReactPointerEvent, next: Drag) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    ref.current?.setPointerCapture(e.pointerId);
    setDrag(next);
  };

  const onCanvasDown = (e: ReactPointerEvent) => {
    if (!props.canAdd) {
      props.onSelect(null);
      return;
    }
    const p = at(e);
    start(e, { kind: 'draw', startX: p.x, startY: p.y, box: between(p.x, p.y, p.x, p.y, w, h) });
  };

  const onMove = (e: ReactPointerEvent) => {
    if (!drag) return;
    const p = at(e);
    if (drag.kind === 'draw') {
      setDrag({ ...drag, box: between(drag.startX, drag.startY, p.x, p.y, w, h) });
    } else if (drag.kind === 'move') {
      const f = drag.from;
      const x = clamp(Math.round(f.x + p.x - drag.startX), 0, w - f.width);
      const y = clamp(Math.round(f.y + p.y - drag.startY), 0, h - f.height);
      props.onBox(drag.index, { ...f, x, y });
    } else {
      const f = drag.from;
      // The corner opposite the dragged one stays where it is.
      const fixedX = drag.corner.endsWith('w') ? f.x + f.width : f.x;
      const fixedY = drag.corner.startsWith('n') ? f.y + f.height : f.y;
      const box = between(fixedX, fixedY, p.x, p.y, w, h);
      if (box.width >= 1 && box.height >= 1) props.onBox(drag.index, box);
    }
  };

  const onUp = () => {
    if (drag?.kind === 'draw') {
      if (drag.box.width >= MIN_DRAWN && drag.box.height >= MIN_DRAWN) props.onDraw(drag.box);
      else props.onSelect(null);
    }
    setDrag(null);
  };

  return (
    <div
      ref={ref}
      className={`rm-canvas${props.canAdd ? ' can-draw' : ''}`}
      style={{ aspectRatio: `${w} / ${h}` }}
      data-testid="area-canvas"
      onPointerDown={onCanvasDown}
      onPointerMove={onMove}
      onPointerUp={onUp}
      onPointerCancel={() => setDrag(null)}
    >
      {props.imageUrl ? (
        <img className="rm-canvas-image" src={props.imageUrl} alt="メニューの画像" draggable={false} />
      ) : (
        <div className="rm-canvas-blank" aria-hidden="true">
          画像はまだありません（{w}×{h}）
        </div>
      )}
      {props.areas.map((a, i) => {
        const b = a.bounds;
        const selected = props.selected === i;
        return (
          <div
            key={i}
            className={`rm-area${selected ? ' selected' : ''}`}
            style={{ left: pct(b.x, w), top: pct(b.y, h), width: pct(b.width, w), height: pct(b.height, h) }}
            data-testid={`area-box-${i + 1}`}
            onPointerDown={(e) => {
              props.onSelect(i);
              const p = at(e);
              start(e, { kind: 'move', index: i, startX: p.x, startY: p.y, from: b });
            }}
          >
            <span className="rm-area-number">{i + 1}</span>
            {a.label && <span className="rm-area-label">{a.label}</span>}
            {selected &&
              (['nw', 'ne', 'sw', 'se'] as const).map((c) => (
                <span
                  key={c}
                  className={`rm-handle rm-handle-${c}`}
                  aria-hidden="true"
                  onPointerDown={(e) => start(e, { kind: 'resize', index: i, corner: c, from: b })}
                />
              ))}
          </div>
        );
      })}
      {drag?.kind === 'draw' && drag.box.width > 0 && drag.box.height > 0 && (
        <div
          className="rm-area drawing"
          style={{ left: pct(drag.box.x, w), top: pct(drag.box.y, h), width: pct(drag.box.width, w), height: pct(drag.box.height, h) }}
        />
      )}
    </div>
  );
}
