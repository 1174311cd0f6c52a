/** Distances, the city's boundary and districts (dependency-free: the console's map uses it too). */
import type { GeoPolygon } from './model';

const EARTH_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLng = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Ray casting on one ring of [lng, lat] points. */
function inRing(lng: number, lat: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi! > lat !== yj! > lat && lng < ((xj! - xi!) * (lat - yi!)) / (yj! - yi!) + xi!) inside = !inside;
  }
  return inside;
}

/** Inside a GeoJSON Polygon / MultiPolygon (holes respected). */
export function insidePolygon(point: { latitude: number; longitude: number }, polygon: GeoPolygon): boolean {
  const polygons = polygon.type === 'Polygon' ? [polygon.coordinates] : polygon.coordinates;
  return polygons.some(
    ([outer, ...holes]) => !!outer && inRing(point.longitude, point.latitude, outer) && !holes.some((h) => inRing(point.longitude, point.latitude, h)),
  );
}

/** The first district name found in an address after its city (longest names first: 原万田 before 万田). */
export function districtOf(address: string | undefined, districts: readonly string[]): string | undefined {
  if (!address) return undefined;
  // After the city's name (「熊本県荒尾市宮内出目390」 → 「宮内出目390」): the city's own name is no district.
  const city = address.search(/[市町村](?!場)/);
  const rest = city >= 0 ? address.slice(city + 1) : address;
  return [...districts].sort((a, b) => b.length - a.length).find((d) => d && rest.includes(d));
}

/**
 * Arao City's approximate outline (hand-drawn from the city's published map, ~300 m accuracy along the
 * coast of the Ariake Sea and the borders with Omuta (Fukuoka) and Nagasu / Nankan): enough to flag a
 * place clearly outside the city. Staff replace it with an exact GeoJSON in the settings.
 */
export const ARAO_OUTLINE: GeoPolygon = {
  type: 'Polygon',
  coordinates: [
    [
      [130.4255, 33.0135],
      [130.4452, 33.0092],
      [130.4622, 33.0125],
      [130.4818, 33.0108],
      [130.5005, 33.0028],
      [130.5148, 32.9905],
      [130.5189, 32.9735],
      [130.5062, 32.9578],
      [130.4863, 32.9469],
      [130.4642, 32.9398],
      [130.4408, 32.9372],
      [130.4205, 32.9445],
      [130.4095, 32.9602],
      [130.4052, 32.9788],
      [130.4088, 32.9968],
      [130.4255, 33.0135],
    ],
  ],
};
