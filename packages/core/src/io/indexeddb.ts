/**
 * `indexeddb://name`: models kept in the browser's IndexedDB, laid out exactly as TensorFlow.js lays
 * them out, so either library reads the other's models:
 *
 * - database `tensorflowjs`, version 1;
 * - object store `models_store` (key path `modelPath`): `{ modelPath, modelArtifacts, modelArtifactsInfo }`,
 *   the artifacts as a structured clone (weights as one binary `ArrayBuffer`, not base64);
 * - object store `model_info_store` (key path `modelPath`): `{ modelPath, modelArtifactsInfo }`, which
 *   `listModels` reads without touching the weights.
 *
 * Unlike TensorFlow.js, both records are written in one transaction, so a failed save (quota) leaves
 * neither behind.
 */
import { NotImplementedError, ResourceExhaustedError, ValueError } from "../errors.js";
import type { IOHandler, SaveResult } from "../keras/model-io.js";
import { info } from "../keras/model-io.js";
import type { ModelArtifacts } from "../keras/serialization.js";

/** TensorFlow.js's names; changing any of them breaks compatibility with its saved models. */
const DATABASE_NAME = "tensorflowjs";
const DATABASE_VERSION = 1;
const MODEL_STORE = "models_store";
const INFO_STORE = "model_info_store";

/** What `listModels` reports for one model (TensorFlow.js's `ModelArtifactsInfo`). */
export type ModelArtifactsInfo = SaveResult["modelArtifactsInfo"];

// Just the parts of the IndexedDB API used here (core compiles without the DOM library).
interface IDBRequestLike<T> {
  result: T;
  error: { name?: string; message?: string } | null;
  onsuccess: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
interface IDBOpenRequestLike extends IDBRequestLike<IDBDatabaseLike> {
  onupgradeneeded: ((ev: unknown) => void) | null;
  onblocked: ((ev: unknown) => void) | null;
}
interface IDBStoreLike {
  get(key: string): IDBRequestLike<unknown>;
  getAll(): IDBRequestLike<unknown[]>;
  put(value: unknown): IDBRequestLike<unknown>;
  delete(key: string): IDBRequestLike<unknown>;
}
interface IDBTransactionLike {
  objectStore(name: string): IDBStoreLike;
  oncomplete: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onabort: ((ev: unknown) => void) | null;
  error: { name?: string; message?: string } | null;
  abort(): void;
}
interface IDBDatabaseLike {
  objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string, options: { keyPath: string }): unknown;
  transaction(stores: string | string[], mode: "readonly" | "readwrite"): IDBTransactionLike;
  close(): void;
}
interface IDBFactoryLike {
  open(name: string, version: number): IDBOpenRequestLike;
}

function factory(): IDBFactoryLike {
  const idb = (globalThis as { indexedDB?: IDBFactoryLike }).indexedDB;
  if (!idb) throw new NotImplementedError("indexeddb:// needs IndexedDB (a browser page or worker); in Node save to a directory instead");
  return idb;
}

function describe(err: { name?: string; message?: string } | null | undefined): string {
  if (!err) return "unknown error";
  return err.name && err.message ? `${err.name}: ${err.message}` : (err.message ?? err.name ?? "unknown error");
}

/** Opens TensorFlow.js's database, creating its two stores on first use (as TensorFlow.js does). */
function openDatabase(): Promise<IDBDatabaseLike> {
  return new Promise((resolve, reject) => {
    const req = factory().open(DATABASE_NAME, DATABASE_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(MODEL_STORE)) db.createObjectStore(MODEL_STORE, { keyPath: "modelPath" });
      if (!db.objectStoreNames.contains(INFO_STORE)) db.createObjectStore(INFO_STORE, { keyPath: "modelPath" });
    };
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(MODEL_STORE) || !db.objectStoreNames.contains(INFO_STORE)) {
        db.close();
        reject(new ValueError(`The IndexedDB database "${DATABASE_NAME}" exists but lacks the stores "${MODEL_STORE}" and "${INFO_STORE}": it was not made by TensorFlow.js or Tessera`));
        return;
      }
      resolve(db);
    };
    req.onerror = () => reject(new ValueError(`Cannot open the IndexedDB database "${DATABASE_NAME}": ${describe(req.error)}`));
    req.onblocked = () => reject(new ValueError(`Opening the IndexedDB database "${DATABASE_NAME}" is blocked by another tab holding an older version open`));
  });
}

/**
 * Runs `body` in one transaction over `stores` and resolves with what `body` resolved once the
 * transaction has committed; any failure aborts the whole transaction.
 */
async function inTransaction<T>(stores: string[], mode: "readonly" | "readwrite", body: (tx: IDBTransactionLike) => Promise<T>): Promise<T> {
  const db = await openDatabase();
  try {
    const tx = db.transaction(stores, mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      const fail = () => {
        const e = tx.error;
        reject(e && e.name === "QuotaExceededError" ? new ResourceExhaustedError(`IndexedDB is full (${describe(e)})`) : new ValueError(`IndexedDB transaction failed: ${describe(e)}`));
      };
      tx.onerror = fail;
      tx.onabort = fail;
    });
    let value: T;
    try {
      value = await body(tx);
    } catch (err) {
      try {
        tx.abort();
      } catch {
        // already finished
      }
      await done.catch(() => undefined);
      throw err;
    }
    await done;
    return value;
  } finally {
    db.close();
  }
}

function request<T>(req: IDBRequestLike<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new ValueError(`IndexedDB ${what} failed: ${describe(req.error)}`));
  });
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** One ArrayBuffer from what TensorFlow.js may have stored (an ArrayBuffer, or a list of them). */
function weightBuffer(data: unknown, where: string): ArrayBuffer {
  if (data === undefined || data === null) return new ArrayBuffer(0);
  if (data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  if (Array.isArray(data) && data.every((d) => d instanceof ArrayBuffer)) {
    const out = new Uint8Array(data.reduce((n: number, d: ArrayBuffer) => n + d.byteLength, 0));
    let off = 0;
    for (const d of data as ArrayBuffer[]) {
      out.set(new Uint8Array(d), off);
      off += d.byteLength;
    }
    return out.buffer;
  }
  throw new ValueError(`${where}: the stored weight data is not binary (an ArrayBuffer); the record is corrupt`);
}

/** Checks a stored record's artifacts before anything uses them. */
function artifactsOf(record: unknown, path: string): ModelArtifacts {
  const where = `In IndexedDB, model '${path}'`;
  if (!isObject(record) || !isObject(record["modelArtifacts"])) throw new ValueError(`${where} is not a model record (no modelArtifacts)`);
  const a = record["modelArtifacts"];
  if (!isObject(a["modelTopology"])) {
    throw new ValueError(`${where} has no JSON modelTopology (a graph model or a binary topology cannot be loaded as a layers model)`);
  }
  if (a["weightSpecs"] !== undefined && !Array.isArray(a["weightSpecs"])) throw new ValueError(`${where} has invalid weightSpecs (expected an array)`);
  const out: ModelArtifacts = {
    modelTopology: a["modelTopology"],
    weightSpecs: (a["weightSpecs"] ?? []) as ModelArtifacts["weightSpecs"],
    weightData: weightBuffer(a["weightData"], where),
  };
  if (typeof a["format"] === "string") out.format = a["format"];
  if (typeof a["generatedBy"] === "string") out.generatedBy = a["generatedBy"];
  if (typeof a["convertedBy"] === "string" || a["convertedBy"] === null) out.convertedBy = a["convertedBy"];
  if (isObject(a["userDefinedMetadata"])) out.userDefinedMetadata = a["userDefinedMetadata"];
  if (isObject(a["trainingConfig"])) out.trainingConfig = a["trainingConfig"] as unknown as NonNullable<ModelArtifacts["trainingConfig"]>;
  return out;
}

function checkPath(modelPath: unknown): string {
  if (typeof modelPath !== "string" || modelPath === "") throw new ValueError("For IndexedDB, modelPath must not be null, undefined or empty.");
  return modelPath;
}

/**
 * An IOHandler for `indexeddb://modelPath` (TensorFlow.js's `tf.io.browserIndexedDB`): `model.save`
 * and `loadModel` keep the model in the browser's IndexedDB, where large models fit (localStorage
 * holds about 5 MB).
 */
export function browserIndexedDB(modelPath: string): IOHandler & { save(a: ModelArtifacts): Promise<SaveResult>; load(): Promise<ModelArtifacts> } {
  const path = checkPath(modelPath);
  return {
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      if (!isObject(artifacts) || !isObject(artifacts.modelTopology)) throw new ValueError("indexeddb:// can only save artifacts with a JSON modelTopology");
      const modelArtifactsInfo = info(artifacts);
      const stored: ModelArtifacts = {
        modelTopology: artifacts.modelTopology,
        weightSpecs: artifacts.weightSpecs,
        weightData: artifacts.weightData,
        ...(artifacts.format !== undefined ? { format: artifacts.format } : {}),
        ...(artifacts.generatedBy !== undefined ? { generatedBy: artifacts.generatedBy } : {}),
        ...(artifacts.convertedBy !== undefined ? { convertedBy: artifacts.convertedBy } : {}),
        ...(artifacts.userDefinedMetadata !== undefined ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
        ...(artifacts.trainingConfig !== undefined ? { trainingConfig: artifacts.trainingConfig } : {}),
      };
      await inTransaction([INFO_STORE, MODEL_STORE], "readwrite", async (tx) => {
        await request(tx.objectStore(INFO_STORE).put({ modelPath: path, modelArtifactsInfo }), `saving model '${path}'`);
        await request(tx.objectStore(MODEL_STORE).put({ modelPath: path, modelArtifacts: stored, modelArtifactsInfo }), `saving model '${path}'`);
      });
      return { modelArtifactsInfo };
    },
    async load(): Promise<ModelArtifacts> {
      const record = await inTransaction([MODEL_STORE], "readonly", (tx) => request(tx.objectStore(MODEL_STORE).get(path), `loading model '${path}'`));
      if (record === undefined || record === null) throw new ValueError(`Cannot find model with path '${path}' in IndexedDB.`);
      return artifactsOf(record, path);
    },
  };
}

/** Every model in IndexedDB: path (without scheme) → its info. */
export async function listIndexedDBModels(): Promise<Record<string, ModelArtifactsInfo>> {
  const rows = await inTransaction([INFO_STORE], "readonly", (tx) => request(tx.objectStore(INFO_STORE).getAll(), "listing models"));
  const out: Record<string, ModelArtifactsInfo> = {};
  for (const row of rows) {
    if (isObject(row) && typeof row["modelPath"] === "string" && isObject(row["modelArtifactsInfo"])) {
      Object.defineProperty(out, row["modelPath"], { value: row["modelArtifactsInfo"], enumerable: true, configurable: true, writable: true });
    }
  }
  return out;
}

/** Deletes a model from IndexedDB (both records, in one transaction) and returns its info. */
export async function removeIndexedDBModel(modelPath: string): Promise<ModelArtifactsInfo> {
  const path = checkPath(modelPath);
  return inTransaction([INFO_STORE, MODEL_STORE], "readwrite", async (tx) => {
    const row = await request(tx.objectStore(INFO_STORE).get(path), `removing model '${path}'`);
    if (!isObject(row) || !isObject(row["modelArtifactsInfo"])) throw new ValueError(`Cannot find model with path '${path}' in IndexedDB.`);
    await request(tx.objectStore(INFO_STORE).delete(path), `removing model '${path}'`);
    await request(tx.objectStore(MODEL_STORE).delete(path), `removing model '${path}'`);
    return row["modelArtifactsInfo"] as ModelArtifactsInfo;
  });
}
