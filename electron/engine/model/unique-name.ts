// tfjs refuses two live variables with one name; named variables (expert.ts) get a prefix unique
// in this process. Bundles never store these names: they use component names (multitask-model.ts).
let counter = 0;

export function uniqueName(purpose: string): string {
  counter += 1;
  return `moe-workbench/${purpose}/${counter}`;
}
