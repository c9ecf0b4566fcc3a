import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.guard';
import { openApiDocument } from './document';

/** A page for people: Swagger UI (served from the swagger-ui-dist package) reading the JSON document. */
const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>Tandem API</title>
<link rel="stylesheet" href="/api/docs-assets/swagger-ui.css" /></head>
<body><div id="swagger"></div>
<script src="/api/docs-assets/swagger-ui-bundle.js"></script>
<script src="/api/docs-init.js"></script>
</body></html>`;

@Controller('api')
@Public()
export class DocsController {
  private readonly document = openApiDocument();

  /** The OpenAPI document (docs/contract.md section 6); a browser asking for HTML gets the Swagger UI page. */
  @Get('docs')
  docs(@Req() req: Request, @Res() res: Response): void {
    if (req.accepts(['application/json', 'text/html']) === 'text/html') res.type('html').send(DOCS_PAGE);
    else res.json(this.document);
  }

  /** Swagger UI's start, as a script file: the Content-Security-Policy runs no inline script. */
  @Get('docs-init.js')
  docsInit(@Res() res: Response): void {
    res.type('text/javascript').send(`window.ui = SwaggerUIBundle({ url: '/api/docs.json', dom_id: '#swagger' });\n`);
  }

  @Get('docs.json')
  docsJson(): Record<string, unknown> {
    return this.document;
  }
}
