// The standalone runtime of a saved model folder: load it in plain Node, predict, dispose.
export { loadBundle, disposeBundle, type Bundle } from './load.ts';
export { predict, type PredictInput, type PredictionResult } from './predict.ts';
export { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleManifest } from './manifest.ts';
export { explain, explainWithModel } from './explain.ts';
