/**
 * The place picker's pure parts (liff-web/src/place-model.ts, sim-liff.ts): the location message it
 * sends into the chat, the outside-the-city warning, and liff.sendMessages() in the simulator's overlay.
 */
import { ARAO_OUTLINE } from '../../../functions/reports/geo';
import {
  GSI_TILES,
  PLACE_START,
  formatCoords,
  geoProblem,
  isOutside,
  isPoint,
  outlineLatLngs,
  placeMessage,
  wrapLongitude,
} from '../../../liff-web/src/place-model';
import { SimulatorSendError, simulatorSendMessages, type FrameWindow } from '../../../liff-web/src/sim-liff';
import { PLACE_STRINGS as STRINGS } from '../../../liff-web/src/place-strings';
import { LANGS } from '../../../functions/shared/languages';

describe('the location message', () => {
  it('carries the title in the citizen language and the coordinates, six decimals, as the address', () => {
    expect(placeMessage({ latitude: 32.98681234, longitude: 130.43345678 }, '地図で選んだ場所')).toEqual({
      type: 'location',
      title: '地図で選んだ場所',
      address: '32.986812, 130.433457',
      latitude: 32.986812,
      longitude: 130.433457,
    });
    expect(placeMessage({ latitude: 33, longitude: 130.4 }, STRINGS.en['place.messageTitle'])).toEqual({
      type: 'location',
      title: 'Place chosen on the map',
      address: '33.000000, 130.400000',
      latitude: 33,
      longitude: 130.4,
    });
  });

  it('keeps negative coordinates and their zeros', () => {
    expect(placeMessage({ latitude: -0.5, longitude: -179.0000004 }, 'x').address).toBe('-0.500000, -179.000000');
    expect(formatCoords({ latitude: 1.23, longitude: 4 })).toBe('1.230000, 4.000000');
  });

  it("keeps the title within LINE's 100 characters and never sends a point that is not on Earth", () => {
    expect(Array.from(placeMessage(PLACE_START, '場'.repeat(150)).title)).toHaveLength(100);
    expect(() => placeMessage({ latitude: 91, longitude: 0 }, 'x')).toThrow(RangeError);
    expect(() => placeMessage({ latitude: NaN, longitude: 0 }, 'x')).toThrow(RangeError);
    expect(isPoint({ latitude: 0, longitude: 180 })).toBe(true);
    expect(isPoint({ latitude: 0, longitude: 180.1 })).toBe(false);
    expect(isPoint({ latitude: 0 })).toBe(false);
  });

  it('has its title in the five languages', () => {
    for (const lang of LANGS) expect(STRINGS[lang]['place.messageTitle']).toMatch(/\S/);
    expect(STRINGS.ja['place.outside']).toBe('荒尾市の外のようです。場所をご確認ください');
    expect(STRINGS.ja['place.send']).toBe('この場所を送る');
    expect(new Set(LANGS.map((l) => STRINGS[l]['place.messageTitle'])).size).toBe(LANGS.length);
  });
});

describe('outside the city', () => {
  it('the start (the city hall) and places in the city are inside', () => {
    expect(isOutside(PLACE_START, ARAO_OUTLINE)).toBe(false);
    expect(isOutside({ latitude: 32.9705, longitude: 130.47 }, ARAO_OUTLINE)).toBe(false); // 荒尾市内陸部
  });

  it('Omuta (Fukuoka), Nagasu, the Ariake Sea and Tokyo are outside', () => {
    expect(isOutside({ latitude: 33.0297, longitude: 130.4459 }, ARAO_OUTLINE)).toBe(true); // 大牟田市役所
    expect(isOutside({ latitude: 32.9297, longitude: 130.4534 }, ARAO_OUTLINE)).toBe(true); // 長洲町
    expect(isOutside({ latitude: 32.98, longitude: 130.38 }, ARAO_OUTLINE)).toBe(true); // 有明海
    expect(isOutside({ latitude: 35.6812, longitude: 139.7671 }, ARAO_OUTLINE)).toBe(true);
  });

  it('draws the outline as Leaflet takes it: [lat, lng]', () => {
    const [[ring]] = outlineLatLngs(ARAO_OUTLINE);
    expect(ring![0]).toEqual([33.0135, 130.4255]);
    expect(ring).toHaveLength(ARAO_OUTLINE.coordinates[0]!.length);
    const multi = outlineLatLngs({ type: 'MultiPolygon', coordinates: [[[[1, 2]]], [[[3, 4]]]] });
    expect(multi).toEqual([[[[2, 1]]], [[[4, 3]]]]);
  });

  it('a tap on a wrapped copy of the world comes back within ±180', () => {
    expect(wrapLongitude(130.4)).toBe(130.4);
    expect(wrapLongitude(490.4)).toBeCloseTo(130.4, 9);
    expect(wrapLongitude(-229.6)).toBeCloseTo(130.4, 9);
    expect(wrapLongitude(-180)).toBe(-180);
  });
});

describe('the map and 現在地', () => {
  it('starts on Arao City with 地理院タイル and their credit', () => {
    expect(PLACE_START).toEqual({ latitude: 32.9868, longitude: 130.4334, zoom: 14 });
    expect(GSI_TILES.url).toBe('https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png');
    expect(GSI_TILES.attributionText).toBe('地理院タイル');
    expect(GSI_TILES.attributionUrl).toBe('https://maps.gsi.go.jp/development/ichiran.html');
  });

  it('names each geolocation failure, in every language', () => {
    expect([1, 2, 3, undefined, 99].map(geoProblem)).toEqual(['denied', 'unavailable', 'timeout', 'unsupported', 'unavailable']);
    for (const lang of LANGS)
      for (const p of ['denied', 'unavailable', 'timeout', 'unsupported'] as const) expect(STRINGS[lang][`place.geo.${p}`]).toMatch(/\S/);
  });
});

describe('liff.sendMessages() in the simulator overlay', () => {
  type Listener = (e: MessageEvent) => void;
  function frame(answer?: (posted: { id: string; messages: unknown }) => unknown) {
    const listeners = new Set<Listener>();
    const posted: unknown[] = [];
    const parent = {
      postMessage(message: unknown, origin: string) {
        posted.push({ message, origin });
        const reply = answer?.(message as { id: string; messages: unknown });
        if (reply !== undefined) queueMicrotask(() => listeners.forEach((l) => l({ source: parent, data: reply } as unknown as MessageEvent)));
      },
    };
    const win: FrameWindow = {
      parent,
      addEventListener: (_t, l) => listeners.add(l),
      removeEventListener: (_t, l) => listeners.delete(l),
    };
    return { win, posted, listeners, parent };
  }
  const message = placeMessage(PLACE_START, '地図で選んだ場所');

  it('posts the messages to the phone and resolves on its answer', async () => {
    const f = frame(({ id }) => ({ type: 'liff.sendMessages.result', id, ok: true }));
    await expect(simulatorSendMessages([message], f.win)).resolves.toBeUndefined();
    expect(f.posted).toEqual([{ message: { type: 'liff.sendMessages', id: expect.stringMatching(/^send-/), messages: [message] }, origin: '*' }]);
    expect(f.listeners.size).toBe(0);
  });

  it('rejects with the phone refusal, and ignores answers to other requests or from other windows', async () => {
    const f = frame(({ id }) => ({ type: 'liff.sendMessages.result', id, ok: false, error: 'liff.sendMessages: 一度に送れるメッセージは5件までです（6件）' }));
    const other = { source: {}, data: { type: 'liff.sendMessages.result', ok: true } };
    const sent = simulatorSendMessages(Array(6).fill(message), f.win);
    f.listeners.forEach((l) => l({ ...other, data: { ...other.data, id: 'x' } } as unknown as MessageEvent));
    await expect(sent).rejects.toMatchObject({ code: 'refused', message: expect.stringContaining('5件まで') });
  });

  it('gives up without a simulator around it or without an answer', async () => {
    const alone = frame();
    const self = { ...alone.win, parent: null };
    await expect(simulatorSendMessages([message], self)).rejects.toBeInstanceOf(SimulatorSendError);
    const silent = frame();
    await expect(simulatorSendMessages([message], silent.win, 10)).rejects.toMatchObject({ code: 'timeout' });
    expect(silent.listeners.size).toBe(0);
  });
});
