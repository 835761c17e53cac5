import { describe, expect, it } from 'vitest';
import { parseDeprecatedRequests } from '../../src/engines/versions/deprecated-requests.js';

describe('parseDeprecatedRequests', () => {
  it('reads the labels of non-zero series and ignores everything else', () => {
    const text = [
      '# HELP apiserver_requested_deprecated_apis [STABLE] Gauge of deprecated APIs that have been requested',
      '# TYPE apiserver_requested_deprecated_apis gauge',
      'apiserver_requested_deprecated_apis{group="",removed_release="",resource="componentstatuses",subresource="",version="v1"} 1',
      'apiserver_requested_deprecated_apis{group="batch",removed_release="1.25",resource="cronjobs",subresource="",version="v1beta1"} 0',
      'apiserver_requested_deprecated_apis_other{group="x"} 1',
      'apiserver_requested_deprecated_apis{group="policy",removed_release="1.25",resource="podsecuritypolicies",subresource="",version="v1beta1"} 1 1700000000000',
    ].join('\n');
    expect(parseDeprecatedRequests(text)).toEqual([
      { group: '', version: 'v1', resource: 'componentstatuses', subresource: '', removedRelease: '' },
      { group: 'policy', version: 'v1beta1', resource: 'podsecuritypolicies', subresource: '', removedRelease: '1.25' },
    ]);
  });
});
