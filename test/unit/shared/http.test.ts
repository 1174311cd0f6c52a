import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { clientIp } from '../../../functions/shared/http';

const event = (headers: Record<string, string>, sourceIp = '130.176.1.1') =>
  ({ headers, requestContext: { http: { sourceIp } } }) as unknown as APIGatewayProxyEventV2;

describe('clientIp', () => {
  it('prefers CloudFront’s viewer address (IPv4 and IPv6, port removed)', () => {
    expect(clientIp(event({ 'cloudfront-viewer-address': '203.0.113.7:53122' }))).toBe('203.0.113.7');
    expect(clientIp(event({ 'cloudfront-viewer-address': '2001:db8::1:443' }))).toBe('2001:db8::1');
  });

  it('takes the first X-Forwarded-For entry only for requests that came through CloudFront', () => {
    expect(clientIp(event({ 'x-forwarded-for': '198.51.100.2, 130.176.1.1', via: '2.0 abc.cloudfront.net (CloudFront)' }))).toBe('198.51.100.2');
    expect(clientIp(event({ 'x-forwarded-for': '198.51.100.2' }))).toBe('130.176.1.1');
  });

  it('falls back to the source IP', () => {
    expect(clientIp(event({}, '127.0.0.1'))).toBe('127.0.0.1');
  });
});
