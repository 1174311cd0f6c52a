/**
 * 市民通報's map (Leaflet, with its CSS): loaded only when staff open the map or a report with a
 * place, as its own chunk, so the rest of the console stays small. Tiles from the settings (地理院タイル
 * by default); the city's boundary as an outline and the reports as dots coloured by status, drawn
 * by Leaflet itself — so they still show on a plain background when the tiles cannot be loaded (no
 * internet, a blocked server), with a notice saying so. Popups are built as DOM text, never HTML.
 */
import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'react';
import type { GeoPolygon, ReportPoint } from '../../api/reports';
import { REPORT_STATUS_LABELS } from '../../api/reports';
import { linkClick } from '../../router';
import { STATUS_COLORS, boundaryRings, safeAttribution } from './report-texts';

/** Arao City hall: where the map opens when there is nothing to show. */
const CITY_CENTER: L.LatLngTuple = [32.9868, 130.4334];
const TILE_ERROR = '地図の画像を読み込めません（通報の位置は表示しています）';

export interface ReportLeafletProps {
  tiles: { url: string; attribution: string };
  boundary: GeoPolygon | null;
  points: ReportPoint[];
  categoryName: (id: string) => string;
  /** One report's page: its point, close up, without a popup. */
  single?: boolean;
  label: string;
}

function popup(p: ReportPoint, categoryName: (id: string) => string): HTMLElement {
  const box = document.createElement('div');
  box.className = 'map-popup';
  const path = `/reports/${encodeURIComponent(p.reportId)}`;
  const link = document.createElement('a');
  link.href = path;
  link.textContent = `受付番号 ${p.receiptNo}`;
  link.addEventListener('click', linkClick(path));
  const what = document.createElement('div');
  what.textContent = `${categoryName(p.category)}・${REPORT_STATUS_LABELS[p.status]}`;
  box.append(link, what);
  if (p.place?.address) {
    const where = document.createElement('div');
    where.className = 'map-popup-address';
    where.textContent = p.place.address;
    box.append(where);
  }
  return box;
}

export default function ReportLeaflet(props: ReportLeafletProps) {
  const { tiles, boundary, points, categoryName, single } = props;
  const element = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<L.Map | null>(null);
  const [tilesFailed, setTilesFailed] = useState(false);

  useEffect(() => {
    // Canvas draws thousands of dots quickly; the map never scrolls the page with the wheel by accident on a report's page.
    const created = L.map(element.current!, { preferCanvas: true, scrollWheelZoom: !single });
    created.attributionControl.setPrefix('<a href="https://leafletjs.com" target="_blank" rel="noopener noreferrer">Leaflet</a>');
    created.setView(CITY_CENTER, 12);
    setMap(created);
    return () => {
      created.remove();
      setMap(null);
    };
  }, [single]);

  useEffect(() => {
    if (!map) return;
    setTilesFailed(false);
    const layer = L.tileLayer(tiles.url, { attribution: safeAttribution(tiles.attribution), maxZoom: 18, minZoom: 5 });
    layer.on('tileerror', () => setTilesFailed(true));
    layer.addTo(map);
    return () => {
      layer.remove();
    };
  }, [map, tiles.url, tiles.attribution]);

  useEffect(() => {
    if (!map) return;
    const group = L.featureGroup();
    const rings = boundaryRings(boundary);
    if (rings.length) L.polygon(rings, { color: '#1d4f91', weight: 2, dashArray: '6 4', fill: false, interactive: false }).addTo(group);
    const placed = points.filter((p) => p.place);
    for (const p of placed) {
      const marker = L.circleMarker([p.place!.latitude, p.place!.longitude], {
        radius: single ? 10 : 7,
        color: '#fff',
        weight: 2,
        fillColor: STATUS_COLORS[p.status],
        fillOpacity: 0.95,
      });
      if (!single) marker.bindPopup(() => popup(p, categoryName));
      marker.addTo(group);
    }
    group.addTo(map);
    // Without a zoom animation: the dots are drawn at once where they belong (an animation cut short by
    // a redraw left the canvas scaled up).
    if (single && placed[0]) map.setView([placed[0].place!.latitude, placed[0].place!.longitude], 16, { animate: false });
    else if (placed.length || rings.length)
      // The whole city and every point (one report alone is not zoomed into: staff see where in the city it is).
      map.fitBounds(L.latLngBounds([...placed.map((p) => [p.place!.latitude, p.place!.longitude] as L.LatLngTuple), ...rings.flat()]).pad(0.05), {
        maxZoom: 16,
        animate: false,
      });
    return () => {
      group.remove();
    };
  }, [map, boundary, points, categoryName, single]);

  return (
    <div className={single ? 'report-map single' : 'report-map'}>
      <div ref={element} className="report-map-canvas" role="region" aria-label={props.label} />
      {tilesFailed && (
        <p className="report-map-notice" role="status">
          {TILE_ERROR}
        </p>
      )}
    </div>
  );
}
