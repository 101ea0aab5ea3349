// The evidence viewer's page script. A PDF page: pdf.js draws the cited page on a canvas, its text items are laid
// over it as transparent spans, and the spans that make up the quote are marked; a scanned page without text items
// gets the boxes of the OCR lines the server found the quote on. A picture: the server has drawn the marks already,
// the script only brings the first into view. The script is a file of its own because the API's CSP allows no inline
// script; pdf.js comes from the same address (offline network, same access).

const box = document.getElementById('page-box');
const status = document.getElementById('viewer-status');
const note = document.getElementById('match-note');
const assets = box?.dataset.assets;
const pageNumber = Number(box?.dataset.page);

// OCR and PDF text both carry line-break spaces inside Chinese ("测试报 告"); the comparison ignores all white space
// and the full-width/half-width difference of ASCII characters.
const normalise = (s) => s.replace(/\s+/g, '').replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

async function show() {
  const pdfjs = await import(`${assets}pdf.mjs`);
  pdfjs.GlobalWorkerOptions.workerSrc = `${assets}pdf.worker.mjs`;
  const doc = await pdfjs.getDocument({
    url: box.dataset.file,
    cMapUrl: `${assets}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${assets}standard_fonts/`,
    wasmUrl: `${assets}wasm/`,
    iccUrl: `${assets}iccs/`,
    isEvalSupported: false,
  }).promise;
  const page = await doc.getPage(Math.min(pageNumber, doc.numPages));
  const width = Math.min(box.clientWidth || 900, 1000);
  const base = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: width / base.width });
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${viewport.width}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `第 ${pageNumber} 页的页面图像`);
  const layer = document.createElement('div');
  layer.className = 'text-layer';
  layer.style.width = `${viewport.width}px`;
  layer.style.height = `${viewport.height}px`;
  box.replaceChildren(canvas, layer);
  await page.render({ canvas, canvasContext: canvas.getContext('2d'), viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined }).promise;

  const content = await page.getTextContent();
  const spans = [];
  let joined = '';
  const owner = [];
  for (const item of content.items) {
    if (!('str' in item) || !item.str) continue;
    const t = pdfjs.Util.transform(viewport.transform, item.transform);
    const height = Math.hypot(t[2], t[3]);
    const span = document.createElement('span');
    span.textContent = item.str;
    span.style.left = `${t[4]}px`;
    span.style.top = `${t[5] - height}px`;
    span.style.fontSize = `${height}px`;
    span.style.width = `${item.width * viewport.scale}px`;
    span.style.height = `${height}px`;
    layer.append(span);
    const text = normalise(item.str);
    for (let i = 0; i < text.length; i++) owner.push(spans.length);
    joined += text;
    spans.push(span);
  }
  const quote = normalise(box.dataset.quote ?? '');
  if (!quote) {
    status?.remove();
    return;
  }
  // A quote the extraction clipped ("…") or that OCR read slightly differently is found by its longest leading part.
  let at = -1;
  let length = quote.replace(/…$/, '').length;
  while (length >= Math.min(4, quote.length) && at < 0) {
    at = joined.indexOf(quote.slice(0, length));
    if (at < 0) length -= 1;
  }
  if (at < 0) {
    // A scanned page: where OCR read the quote, as percentages of the page, drawn over the canvas.
    const regions = JSON.parse(box.dataset.regions ?? '[]');
    if (regions.length) {
      const marks = regions.map((r) =>
        Object.assign(document.createElement('div'), {
          className: 'region',
          style: `left:${r.left}%;top:${r.top}%;width:${r.width}%;height:${r.height}%`,
        }),
      );
      marks.forEach((mark, i) => {
        mark.setAttribute('role', 'img');
        mark.setAttribute('aria-label', regions.length > 1 ? `引文所在位置（第 ${i + 1} 行，共 ${regions.length} 行）` : '引文所在位置');
        mark.setAttribute('data-testid', i === 0 ? 'highlight' : 'image-region');
      });
      layer.append(...marks);
      note.textContent = '已标出引文所在位置（本页是扫描图像，按识别出的文字行标出）。';
      marks[0].scrollIntoView({ block: 'center' });
      return;
    }
    note.textContent = spans.length
      ? '未能在本页的文字中找到这段引文，请对照上方引文查看页面。'
      : '未能在图像上定位引文，请查看整页。';
    return;
  }
  const marked = new Set(owner.slice(at, at + length));
  for (const i of marked) spans[i].classList.add('hl');
  const first = spans[Math.min(...marked)];
  first.setAttribute('data-testid', 'highlight');
  note.textContent = '页面上以黄色标出引文所在位置。';
  first.scrollIntoView({ block: 'center' });
}

const imageRegion = document.getElementById('quote-region');
if (imageRegion) imageRegion.scrollIntoView({ block: 'center' });
else if (box) show().catch(() => {
  box.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: '无法在浏览器中显示该页，请打开整个原文件查看。' }));
});
