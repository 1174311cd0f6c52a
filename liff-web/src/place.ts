/**
 * /liff/reports/place: the place of a damage report, picked on a map — for citizens who prefer it to
 * LINE's own location message. A tap puts (or moves) the pin; 「この場所を送る」 sends it into the
 * chat as the citizen's own location message (liff.sendMessages; in the LINE simulator a postMessage
 * to the phone) and closes the window, so the report scenario takes it like any location message.
 *
 * Its own chunk with Leaflet (loaded by main.ts only for this page: the form page stays light).
 * Tiles are 地理院タイル; without them (offline, blocked) the map still works on a plain
 * background with the city's outline, and says so.
 */
import 'leaflet/dist/leaflet.css';
import './place.css';
import * as L from 'leaflet';
import { ARAO_OUTLINE } from '../../functions/reports/geo';
import { h } from '../../web-shared/dom';
import { addStrings, t } from './i18n';
import { PLACE_STRINGS } from './place-strings';
import {
  GSI_TILES,
  PLACE_START,
  formatCoords,
  geoProblem,
  isOutside,
  outlineLatLngs,
  placeMessage,
  wrapLongitude,
  type PlaceMessage,
  type Point,
} from './place-model';
import { simulatorSendMessages } from './sim-liff';

export interface PlaceHost {
  /** liff.closeWindow() in LINE; the simulator's overlay closes on a postMessage. */
  close(): void;
  /** liff.sendMessages() in LINE; absent in the simulator, where the phone sends them. */
  sendMessages?: (messages: PlaceMessage[]) => Promise<void>;
}

export function showPlacePicker(app: HTMLElement, host: PlaceHost): void {
  addStrings(PLACE_STRINGS);
  document.title = t('place.heading');
  document.body.classList.add('place-page');
  let pin: Point | undefined;
  let sending = false;

  const coords = h('p', { class: 'place-coords', role: 'status' }, t('place.none'));
  const outside = h('p', { class: 'place-warning', role: 'alert', hidden: true }, `⚠ ${t('place.outside')}`);
  const geoNote = h('p', { class: 'place-note', role: 'status', hidden: true });
  const sendError = h('p', { class: 'place-error', role: 'alert', hidden: true });
  const tilesNotice = h('p', { class: 'place-tiles-notice', role: 'status', hidden: true }, t('place.tilesFailed'));
  const closeHint = h('p', { class: 'muted place-close-hint', role: 'status', hidden: true }, t('thanks.closeHint'));
  const sendBtn = h('button', { type: 'button', class: 'btn btn-primary', disabled: true, on: { click: () => void send() } }, t('place.send'));
  const cancelBtn = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-secondary',
      on: {
        click: () => {
          host.close();
          closeHint.hidden = false; // an external browser may keep the window open
        },
      },
    },
    t('place.cancel'),
  );
  const locateBtn = h(
    'button',
    { type: 'button', class: 'place-locate', on: { click: () => locate() } },
    h('span', { 'aria-hidden': 'true' }, '◎ '),
    t('place.current'),
  );
  const mapEl = h('div', { class: 'place-map', tabindex: '0', role: 'application', 'aria-label': t('place.mapLabel') });

  app.replaceChildren(
    h(
      'section',
      { class: 'place', 'aria-labelledby': 'place-title' },
      h('header', { class: 'place-head' }, h('h1', { id: 'place-title' }, t('place.heading')), h('p', { class: 'place-instruction' }, t('place.instruction'))),
      h('div', { class: 'place-map-wrap' }, mapEl, locateBtn, tilesNotice),
      h('div', { class: 'place-panel' }, coords, outside, geoNote, sendError, h('div', { class: 'place-actions' }, cancelBtn, sendBtn), closeHint),
    ),
  );

  // ---------------------------------------------------------------- the map
  const map = L.map(mapEl, { center: [PLACE_START.latitude, PLACE_START.longitude], zoom: PLACE_START.zoom, zoomControl: true });
  map.attributionControl.setPrefix(false);
  const tiles = L.tileLayer(GSI_TILES.url, {
    maxZoom: GSI_TILES.maxZoom,
    minZoom: GSI_TILES.minZoom,
    // A constant of ours (Leaflet writes attributions as HTML): the credit 地理院タイル asks for.
    attribution: `<a href="${GSI_TILES.attributionUrl}" target="_blank" rel="noopener noreferrer">${GSI_TILES.attributionText}</a>`,
  }).addTo(map);
  // No tiles (no network, blocked): the map still works on its plain background with the outline.
  tiles.on('tileerror', () => (tilesNotice.hidden = false));
  tiles.on('tileload', () => (tilesNotice.hidden = true));
  L.polygon(outlineLatLngs(ARAO_OUTLINE), { color: '#0a8a3a', weight: 3, fillColor: '#06c755', fillOpacity: 0.06, interactive: false }).addTo(map);
  L.circleMarker([PLACE_START.latitude, PLACE_START.longitude], {
    radius: 5,
    color: '#5b6470',
    weight: 2,
    fillColor: '#fff',
    fillOpacity: 1,
    interactive: false,
  })
    .bindTooltip(h('span', {}, t('place.cityHall')), { permanent: true, direction: 'right', className: 'place-landmark' })
    .addTo(map);

  const icon = L.divIcon({ className: 'place-pin', html: h('span', { class: 'place-pin-dot' }), iconSize: [30, 42], iconAnchor: [15, 42] });
  let marker: L.Marker | undefined;
  let accuracy: L.Circle | undefined;

  function setPin(p: Point, opts: { fromLocation?: boolean } = {}): void {
    pin = { latitude: p.latitude, longitude: wrapLongitude(p.longitude) };
    if (!marker) {
      marker = L.marker([pin.latitude, pin.longitude], { icon, draggable: true, keyboard: false, title: t('place.heading') }).addTo(map);
      marker.on('dragend', () => {
        const ll = marker!.getLatLng();
        setPin({ latitude: ll.lat, longitude: ll.lng });
      });
    } else marker.setLatLng([pin.latitude, pin.longitude]);
    if (!opts.fromLocation) {
      accuracy?.remove();
      accuracy = undefined;
      geoNote.hidden = true;
    }
    coords.textContent = t('place.chosen', { coords: formatCoords(pin) });
    outside.hidden = !isOutside(pin, ARAO_OUTLINE);
    sendError.hidden = true;
    sendBtn.disabled = sending;
  }

  map.on('click', (e: L.LeafletMouseEvent) => setPin({ latitude: e.latlng.lat, longitude: e.latlng.lng }));
  // Keyboard: the arrow keys move the map (Leaflet's own), Enter or Space puts the pin at its centre,
  // which shows as a ring while the keyboard is in use (never after a tap).
  mapEl.addEventListener('pointerdown', () => mapEl.classList.remove('is-keyboard'));
  mapEl.addEventListener('blur', () => mapEl.classList.remove('is-keyboard'));
  mapEl.addEventListener('keydown', (e) => {
    if (e.target !== mapEl) return;
    mapEl.classList.add('is-keyboard');
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    const c = map.getCenter();
    setPin({ latitude: c.lat, longitude: c.lng });
  });

  // ---------------------------------------------------------------- 現在地
  function locate(): void {
    const note = (text: string, isError = false) => {
      geoNote.textContent = text;
      geoNote.classList.toggle('is-error', isError);
      geoNote.hidden = false;
    };
    if (!('geolocation' in navigator)) return note(t('place.geo.unsupported'), true);
    locateBtn.disabled = true;
    note(t('place.locating'));
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        locateBtn.disabled = false;
        const here = { latitude: pos.coords.latitude, longitude: pos.coords.longitude };
        setPin(here, { fromLocation: true });
        accuracy?.remove();
        accuracy = L.circle([here.latitude, here.longitude], {
          radius: pos.coords.accuracy,
          color: '#2b7fff',
          weight: 1,
          fillOpacity: 0.08,
          interactive: false,
        }).addTo(map);
        map.setView([here.latitude, here.longitude], Math.max(map.getZoom(), 17));
        note(t('place.located', { meters: Math.max(1, Math.round(pos.coords.accuracy)) }));
      },
      (err) => {
        locateBtn.disabled = false;
        note(t(`place.geo.${geoProblem(err.code)}`), true);
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  // ---------------------------------------------------------------- send
  async function send(): Promise<void> {
    if (!pin || sending) return;
    sending = true;
    sendBtn.disabled = true;
    sendBtn.textContent = t('place.sending');
    sendError.hidden = true;
    try {
      const message = placeMessage(pin, t('place.messageTitle'));
      await (host.sendMessages ?? simulatorSendMessages)([message]);
    } catch (e) {
      sending = false;
      sendBtn.disabled = false;
      sendBtn.textContent = t('place.send');
      const detail = (e as { code?: unknown; message?: unknown }) ?? {};
      sendError.replaceChildren(
        t('place.sendFailed'),
        h('span', { class: 'place-error-detail' }, [detail.code, detail.message].filter((v) => typeof v === 'string' && v).join(': ')),
      );
      sendError.hidden = false;
      return;
    }
    resize.disconnect();
    map.remove();
    showSent(app, host);
  }

  // Leaflet measures its box: once laid out, and again when the phone turns or the bars move.
  const resize = new ResizeObserver(() => map.invalidateSize());
  resize.observe(mapEl);
}

function showSent(app: HTMLElement, host: PlaceHost): void {
  document.body.classList.remove('place-page');
  const hint = h('p', { class: 'muted', role: 'status', hidden: true }, t('thanks.closeHint'));
  app.replaceChildren(
    h(
      'section',
      { class: 'state thanks', 'aria-labelledby': 'state-title' },
      h('div', { class: 'state-icon ok', 'aria-hidden': 'true' }, '✓'),
      h('h1', { id: 'state-title', tabindex: '-1' }, t('place.sent.title')),
      h('p', {}, t('place.sent.body')),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-primary',
          on: {
            click: () => {
              host.close();
              hint.hidden = false;
            },
          },
        },
        t('close'),
      ),
      hint,
    ),
  );
  (document.getElementById('state-title') as HTMLElement | null)?.focus();
  // As in LINE: the window closes once the message is in the chat.
  host.close();
}
