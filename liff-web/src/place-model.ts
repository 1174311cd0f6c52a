/**
 * The place picker's pure parts (unit-tested): where the map starts, the location message it sends
 * into the chat, and whether a pin is outside the city's approximate outline.
 */
import { insidePolygon } from '../../functions/reports/geo';
import type { GeoPolygon } from '../../functions/reports/model';

export interface Point {
  latitude: number;
  longitude: number;
}

/** Arao City (around the city hall) at a zoom where streets and landmarks read. */
export const PLACE_START = { latitude: 32.9868, longitude: 130.4334, zoom: 14 } as const;

/** 地理院タイル (the Geospatial Information Authority of Japan's standard map): free to use with this credit. */
export const GSI_TILES = {
  url: 'https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png',
  attributionText: '地理院タイル',
  attributionUrl: 'https://maps.gsi.go.jp/development/ichiran.html',
  maxZoom: 18,
  minZoom: 5,
} as const;

/** LINE's liff.sendMessages() takes at most this many messages in one call. */
export const MAX_LIFF_MESSAGES = 5;

/** The location message as liff.sendMessages() takes it (what LINE's own location message carries). */
export interface PlaceMessage {
  type: 'location';
  title: string;
  address: string;
  latitude: number;
  longitude: number;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** A real point on Earth: finite, latitude within ±90 and longitude within ±180. */
export function isPoint(p: Partial<Point> | null | undefined): p is Point {
  return (
    !!p &&
    typeof p.latitude === 'number' &&
    typeof p.longitude === 'number' &&
    Number.isFinite(p.latitude) &&
    Number.isFinite(p.longitude) &&
    Math.abs(p.latitude) <= 90 &&
    Math.abs(p.longitude) <= 180
  );
}

/** `32.986800, 130.433400`: six decimals (about 10 cm), the same in every language. */
export function formatCoords(p: Point): string {
  return `${p.latitude.toFixed(6)}, ${p.longitude.toFixed(6)}`;
}

/**
 * The citizen's own location message: `title` in their language, the coordinates as the address
 * (LINE shows it under the title; staff read the place from the coordinates), both rounded alike.
 * LINE limits title and address to 100 characters.
 */
export function placeMessage(p: Point, title: string): PlaceMessage {
  if (!isPoint(p)) throw new RangeError('not a point on Earth');
  const point = { latitude: round6(p.latitude), longitude: round6(p.longitude) };
  return { type: 'location', title: Array.from(title.trim()).slice(0, 100).join(''), address: formatCoords(point), ...point };
}

/** Outside the city's (approximate) outline: the page warns, the citizen may still send it. */
export function isOutside(p: Point, outline: GeoPolygon): boolean {
  return !insidePolygon(p, outline);
}

/** The outline's rings as Leaflet draws them: [lat, lng] pairs (GeoJSON has [lng, lat]). */
export function outlineLatLngs(outline: GeoPolygon): [number, number][][][] {
  const polygons = outline.type === 'Polygon' ? [outline.coordinates] : outline.coordinates;
  return polygons.map((rings) => rings.map((ring) => ring.map(([lng, lat]) => [lat!, lng!] as [number, number])));
}

/** Leaflet wraps the world: a tap far east or west comes as a longitude beyond ±180. */
export function wrapLongitude(lng: number): number {
  if (lng >= -180 && lng <= 180) return lng;
  return ((((lng + 180) % 360) + 360) % 360) - 180;
}

/** The words for a failed navigator.geolocation call (GeolocationPositionError.code, or none at all). */
export type GeoProblem = 'denied' | 'unavailable' | 'timeout' | 'unsupported';

export function geoProblem(code: number | undefined): GeoProblem {
  return code === 1 ? 'denied' : code === 3 ? 'timeout' : code === 2 ? 'unavailable' : code === undefined ? 'unsupported' : 'unavailable';
}
