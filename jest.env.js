// Native addons (onnxruntime-node) check `instanceof Float32Array` against the host realm;
// jest's per-file sandbox has its own typed-array constructors, so share the host's.
const { TestEnvironment } = require('jest-environment-node');
class HostTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of [
      'Float32Array',
      'Float64Array',
      'Int8Array',
      'Uint8Array',
      'Uint8ClampedArray',
      'Int16Array',
      'Uint16Array',
      'Int32Array',
      'Uint32Array',
      'BigInt64Array',
      'BigUint64Array',
      'ArrayBuffer',
      'SharedArrayBuffer',
      'DataView',
    ]) {
      this.global[name] = globalThis[name];
    }
  }
}
module.exports = HostTypedArraysEnvironment;
