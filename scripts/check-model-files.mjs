// Fails (exit 1) unless the voice models the worker needs load from node_modules, offline:
// Silero VAD (agents-plugin-silero's ONNX file, run through onnxruntime-node) and LiveKit's local
// turn detector and VAD (weights embedded in @livekit/local-inference's native binding).
// The Docker build runs it so an image without working models never ships; a test runs it too.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// The project root whose node_modules to check (the image's /app, or this checkout).
const root = path.resolve(process.argv[2] ?? process.cwd());
const fromRoot = createRequire(path.join(root, 'package.json'));

async function checkSileroOnnx() {
  const file = path.join(root, 'node_modules/@livekit/agents-plugin-silero/dist/silero_vad.onnx');
  if (!existsSync(file)) throw new Error(`missing ${file}`);
  const ort = fromRoot('onnxruntime-node');
  const session = await ort.InferenceSession.create(file);
  return `silero_vad.onnx (inputs: ${session.inputNames.join(', ')})`;
}

async function checkLocalInference() {
  const local = fromRoot('@livekit/local-inference');
  local.initEot();
  local.initVad();
  const silence = new Int16Array(local.VAD_WINDOW_SAMPLES);
  const voice = await local.createVad().predict(silence);
  const endOfTurn = await local.predict(new Int16Array(16000));
  for (const p of [voice, endOfTurn]) {
    if (!(p >= 0 && p <= 1)) throw new Error(`probability out of range: ${p}`);
  }
  return 'turn detector + VAD (@livekit/local-inference)';
}

try {
  for (const check of [checkSileroOnnx, checkLocalInference]) {
    console.log(`ok  ${await check()}`);
  }
} catch (error) {
  console.error(`model files check failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
