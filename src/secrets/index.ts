export { createSecretBox, type SecretBox, type SecretContext, SecretError } from './box.ts';
export { type FollowOptions, followKeyring } from './follow.ts';
export {
  type KeyFileRotationOptions,
  type KeyFileRotationResult,
  rotateKeyFile,
} from './key-file-rotation.ts';
export {
  generateMasterKey,
  KeyError,
  type Keyring,
  keyIdOf,
  keyringOf,
  loadKeyring,
  type MasterKey,
} from './keys.ts';
export { type RotationProgress, type RotationReport, rotateSecrets } from './rotate.ts';
