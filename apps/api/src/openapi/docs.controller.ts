import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/auth.guard';
import { openApiDocument } from './document';

@Controller('api')
@Public()
export class DocsController {
  private readonly document = openApiDocument();

  @Get('docs')
  docs(): Record<string, unknown> {
    return this.document;
  }

  @Get('docs.json')
  docsJson(): Record<string, unknown> {
    return this.document;
  }
}
