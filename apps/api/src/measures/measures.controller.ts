import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { MeasureId, MeasuresReport } from '@tandem/domain';
import type { AuthedRequest } from '../auth/auth.guard';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { ZodPipe } from '../common/zod-pipe';
import type { DrillDownQuery, MeasuresQuery, TrendQuery } from './measures.schemas';
import { drillDownQuerySchema, measureIdSchema, measuresQuerySchema, trendQuerySchema } from './measures.schemas';
import type { DrillDownItem, TrendPoint } from './measures.service';
import { MeasuresService } from './measures.service';

/** docs/contract.md section 7: the operations measures; `ops` sees them with small numbers suppressed. */
@Controller('api/v1/measures')
@Allow('ops', ...PATIENT_WORK_ROLES)
export class MeasuresController {
  constructor(@Inject(MeasuresService) private readonly measures: MeasuresService) {}

  @Get()
  list(@Query(new ZodPipe(measuresQuerySchema, 'query')) q: MeasuresQuery, @Req() req: AuthedRequest): Promise<MeasuresReport> {
    return this.measures.report(q, req.principal!);
  }

  /** The patients behind a measure: patient data, so never for `ops`; audited like every patient read. */
  @Get(':measureId/patients')
  @Allow(...PATIENT_WORK_ROLES)
  patients(
    @Param('measureId', new ZodPipe(measureIdSchema, 'measure id')) id: MeasureId,
    @Query(new ZodPipe(drillDownQuerySchema, 'query')) q: DrillDownQuery,
  ): Promise<{ items: DrillDownItem[]; nextCursor: string | null }> {
    return this.measures.patients(id, q);
  }

  @Get(':measureId/trend')
  trend(
    @Param('measureId', new ZodPipe(measureIdSchema, 'measure id')) id: MeasureId,
    @Query(new ZodPipe(trendQuerySchema, 'query')) q: TrendQuery,
    @Req() req: AuthedRequest,
  ): Promise<{ id: MeasureId; unit: string; team?: string; months: TrendPoint[] }> {
    return this.measures.trend(id, q, req.principal!);
  }
}
