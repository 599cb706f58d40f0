// An image file as the model takes it: drawn onto an IMAGE_SIZE x IMAGE_SIZE canvas (the
// browser decodes and resizes), then the RGB bytes, base64.
import { IMAGE_SIZE } from '../../../shared/domain.ts';

export async function imageFileToPixels(file: Blob): Promise<string> {
  const bitmap = await createImageBitmap(file);
  try {
    const canvas = document.createElement('canvas');
    canvas.width = IMAGE_SIZE;
    canvas.height = IMAGE_SIZE;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    context.drawImage(bitmap, 0, 0, IMAGE_SIZE, IMAGE_SIZE);
    const rgba = context.getImageData(0, 0, IMAGE_SIZE, IMAGE_SIZE).data;
    let binary = '';
    for (let p = 0; p < IMAGE_SIZE * IMAGE_SIZE; p++) binary += String.fromCharCode(rgba[p * 4]!, rgba[p * 4 + 1]!, rgba[p * 4 + 2]!);
    return btoa(binary);
  } finally {
    bitmap.close();
  }
}
