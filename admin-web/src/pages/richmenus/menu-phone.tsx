/**
 * The menu as a friend sees it on LINE: a chat with the account, the bar with the menu's text, and
 * the image at the bottom (the areas outlined, so staff see where a tap lands). Text only (never HTML).
 */
import { useState } from 'react';
import type { RichMenuArea } from '../../api/richmenus';

const pct = (v: number, of: number) => `${(v / of) * 100}%`;

export function MenuPhone(props: { width: number; height: number; imageUrl: string | null; chatBarText: string; areas: RichMenuArea[] }) {
  const { width: w, height: h } = props;
  const [open, setOpen] = useState(true);
  return (
    <div className="phone line-phone rm-phone" role="region" aria-label="スマートフォンでの表示">
      <div className="phone-bar">
        <span aria-hidden="true">‹</span>
        <span className="phone-bar-title">荒尾市</span>
        <span aria-hidden="true">≡</span>
      </div>
      <div className="line-chat rm-phone-chat">
        <div className="line-row">
          <span className="line-avatar" aria-hidden="true">
            荒
          </span>
          <div className="line-bubble">友だち追加ありがとうございます。下のメニューから、よく使う案内を開けます。</div>
        </div>
      </div>
      <button type="button" className="rm-phone-bar" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="rm-phone-keyboard" aria-hidden="true">
          ⌨
        </span>
        <span className="rm-phone-bar-text">
          {props.chatBarText.trim() || 'メニュー'} {open ? '▼' : '▲'}
        </span>
      </button>
      {open && (
        <div className="rm-phone-menu" style={{ aspectRatio: `${w} / ${h}` }}>
          {props.imageUrl ? <img src={props.imageUrl} alt="" /> : <div className="rm-canvas-blank">画像はまだありません</div>}
          {props.areas.map((a, i) => (
            <span
              key={i}
              className="rm-phone-area"
              title={a.label}
              style={{ left: pct(a.bounds.x, w), top: pct(a.bounds.y, h), width: pct(a.bounds.width, w), height: pct(a.bounds.height, h) }}
            >
              {i + 1}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
