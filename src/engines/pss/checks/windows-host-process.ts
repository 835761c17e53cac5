/** windowsHostProcess (baseline, 1.0): no Windows HostProcess containers. */
import { containerField, fail, nameOf, OK, sc, setters } from '../helpers.js';
import type { CheckFn } from '../types.js';

export const windowsHostProcess: CheckFn = ({ spec, containers, touches }) => {
  const podBad = sc(spec)?.windowsOptions?.hostProcess === true;
  if (!podBad && !touches.hostProcess) return OK;
  const bad = containers.filter((at) => sc(at.c)?.windowsOptions?.hostProcess === true);
  if (!podBad && !bad.length) return OK;
  const fields = [...(podBad ? ['spec.securityContext.windowsOptions.hostProcess'] : []), ...bad.map((at) => containerField(at, 'securityContext.windowsOptions.hostProcess'))];
  return fail('hostProcess', `${setters(podBad, bad.map(nameOf)).join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`, fields);
};
