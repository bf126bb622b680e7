import { describe, expect, it } from 'vitest';
import { mapErrorText } from './mapErrors';

describe('mapErrorText', () => {
  it('says nothing of a load refused because the session ended', () => {
    // As MapLibre rebuilds an AJAXError from its worker: the fields, not an Error.
    const rebuilt = Object.assign(Object.create({ constructor: function Xr() {} }) as object, { status: 401, statusText: 'Unauthorized', url: '/api/geo/communes.geojson', message: 'AJAXError: Unauthorized (401): /api/geo/communes.geojson' });
    expect(mapErrorText(rebuilt)).toBeNull();
    expect(mapErrorText({ status: 403, message: 'Forbidden' })).toBeNull();
  });

  it('names anything else with its message and address', () => {
    expect(mapErrorText({ status: 500, statusText: 'Internal Server Error', url: '/api/geo/x.geojson', message: 'AJAXError: Internal Server Error (500): /api/geo/x.geojson' })).toBe(
      'map: AJAXError: Internal Server Error (500): /api/geo/x.geojson',
    );
    expect(mapErrorText(new Error('There is no tile manager with ID \'x\''))).toBe("map: There is no tile manager with ID 'x'");
    expect(mapErrorText({ message: 'failed', url: '/a' })).toBe('map: failed (/a)');
    expect(mapErrorText(undefined)).toBe('map: undefined');
  });
});
