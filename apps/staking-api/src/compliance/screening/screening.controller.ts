import { RequirePermission } from '@app/auth';
import { ErrorCode, ErrorResponseDto, StakingException } from '@app/common';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ComplianceSettings } from '../compliance-settings.js';
import {
  ActiveListsDto,
  PepImportAnswerDto,
  PepImportDto,
  RefreshAnswerDto,
  ScreenAnswerDto,
  ScreenRequestDto,
} from '../dto/screening.dto.js';
import { PepRescreenService } from './pep-rescreen.service.js';
import { SanctionsRefreshService } from '../sanctions/sanctions-refresh.service.js';
import { ScreeningService } from './screening.service.js';

@ApiTags('compliance')
@Controller('api/v1/compliance')
export class ScreeningController {
  constructor(
    private readonly screening: ScreeningService,
    private readonly refresh: SanctionsRefreshService,
    private readonly rescreen: PepRescreenService,
    private readonly settings: ComplianceSettings,
  ) {}

  @Post('screen')
  @HttpCode(200)
  @RequirePermission('compliance:read')
  @ApiOperation({
    summary: 'Screen an address or a name',
    description:
      'An address is looked up on every sanctions list in force; a name is matched (case, diacritics and word order normalised, fuzzy above the policy threshold) against every listed name and alias, sanctions and PEP.',
  })
  @ApiOkResponse({ type: ScreenAnswerDto })
  @ApiResponse({
    status: 422,
    type: ErrorResponseDto,
    description: 'S175 both or neither of address and name.',
  })
  async screen(@Body() dto: ScreenRequestDto): Promise<ScreenAnswerDto> {
    if ((dto.address === undefined) === (dto.name === undefined))
      throw new StakingException(ErrorCode.INVALID_SCREENING_REQUEST);
    const threshold = this.settings.policy.aml_kyc.sanctions.name_match_threshold;
    if (dto.address !== undefined) {
      const hits = await this.screening.screenAddress(dto.address);
      return {
        hit: hits.length > 0,
        address: hits[0]?.address ?? dto.address,
        address_hits: hits.map((h) => ({
          list: h.list,
          ref: h.ref,
          label: h.label,
          ...(h.party ? { party: h.party } : {}),
        })),
        sanctions_hits: [],
        pep_hits: [],
        name_match_threshold: threshold,
      };
    }
    const hits = await this.screening.screenName(dto.name!);
    return {
      hit: hits.sanctions.length + hits.pep.length > 0,
      name: dto.name!,
      address_hits: [],
      sanctions_hits: hits.sanctions,
      pep_hits: hits.pep,
      name_match_threshold: threshold,
    };
  }

  @Post('sanctions/refresh')
  @HttpCode(200)
  @RequirePermission('compliance:write')
  @ApiOperation({
    summary: 'Reload every configured sanctions list now',
    description:
      'Each source becomes a new version when it parses and is not much smaller than the one in force; otherwise the previous version stays and a list_refresh_failure incident opens.',
  })
  @ApiOkResponse({ type: RefreshAnswerDto })
  async refreshLists(): Promise<RefreshAnswerDto> {
    return { results: await this.refresh.refreshAll('api') };
  }

  @Get('sanctions/lists')
  @RequirePermission('compliance:read')
  @ApiOperation({ summary: 'The list versions in force' })
  @ApiOkResponse({ type: ActiveListsDto })
  async lists(): Promise<ActiveListsDto> {
    return {
      lists: (await this.screening.activeLists()).map(({ list, active }) => ({
        list,
        entries: active?.entries ?? 0,
        ...(active
          ? {
              version: active.version,
              checksum: active.checksum,
              activated_at: new Date(active.activated_at).toISOString(),
            }
          : {}),
      })),
    };
  }

  @Post('pep/import')
  @HttpCode(200)
  @RequirePermission('compliance:write')
  @ApiOperation({
    summary: 'Import the PEP list (CSV)',
    description:
      'Replaces the PEP list with a new version and, unless rescreen is false, screens every KYC profile against it.',
  })
  @ApiOkResponse({ type: PepImportAnswerDto })
  @ApiResponse({ status: 422, type: ErrorResponseDto, description: 'S176 unreadable CSV.' })
  async importPep(@Body() dto: PepImportDto): Promise<PepImportAnswerDto> {
    const load = await this.screening.importPep(dto.csv);
    const after =
      dto.rescreen === false ? { rescreened: 0, pep_hits: 0 } : await this.rescreen.all();
    return { ...load, ...after };
  }
}
